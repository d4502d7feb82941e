package dev.terminator.core;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * For server adapters: one open connection, as the drain sees it, idle (no request in
 * flight) or active. Only {@link ServerBinding#register} creates one.
 *
 * <p>
 * The container adapter calls {@link #becameActive()}, {@link #becameIdle()} and
 * {@link #tryBeginIdleClose()} on the connection's own processing path, so that for one
 * connection they never run concurrently, and {@link #closed()} when the socket closes.
 */
public final class TrackedConnection {

	private static final int IDLE = 0;

	private static final int ACTIVE = 1;

	private static final int CLOSING_IDLE = 2;

	private static final int CLOSED = 3;

	private final ConnectionRegistry registry;

	private final ConnectionControl control;

	private final AtomicInteger state = new AtomicInteger(IDLE);

	// Written by the container before the state turns IDLE, so a reader that sees IDLE
	// sees these too.
	private volatile long idleSinceNanos;

	private volatile long idleEpoch;

	private volatile long closeRequestedEpoch = -1;

	private volatile boolean forced;

	private volatile boolean carriedRequest;

	TrackedConnection(ConnectionRegistry registry, ConnectionControl control, long openedNanos) {
		this.registry = registry;
		this.control = control;
		this.idleSinceNanos = openedNanos;
	}

	/**
	 * The connection turned active: a request began on it (or a partial one arrived), or
	 * it was upgraded to a protocol that keeps it busy until it closes.
	 */
	public void becameActive() {
		if (!this.carriedRequest) {
			// Written once: a volatile write on every request would cost a fence each.
			this.carriedRequest = true;
		}
		if (this.state.compareAndSet(IDLE, ACTIVE)) {
			this.registry.activated();
		}
	}

	/**
	 * The connection turned idle: it has no request in flight any more and waits for the
	 * next one (keep-alive).
	 */
	public void becameIdle() {
		if (this.state.get() == ACTIVE) {
			this.idleSinceNanos = this.registry.nanoTime();
			this.idleEpoch++;
			if (this.state.compareAndSet(ACTIVE, IDLE)) {
				this.registry.deactivated(this);
			}
		}
	}

	/**
	 * Called by the adapter on the connection's processing path when the drain asked for
	 * an idle close.
	 * @return {@code true} if the connection is still idle, has stayed idle since the
	 * close was requested, and the adapter should now close it; {@code false} if a
	 * request arrived meanwhile and must be served
	 */
	public boolean tryBeginIdleClose() {
		return this.closeRequestedEpoch == this.idleEpoch && this.state.compareAndSet(IDLE, CLOSING_IDLE);
	}

	/**
	 * Whether the drain has asked for this connection to be closed while idle.
	 * @return {@code true} once an idle close is pending
	 */
	public boolean isIdleClosePending() {
		return this.closeRequestedEpoch >= 0;
	}

	/**
	 * The socket closed. Safe to call more than once; only the first call counts.
	 */
	public void closed() {
		int previous = this.state.getAndSet(CLOSED);
		if (previous != CLOSED) {
			this.registry.removed(this, previous == ACTIVE, reason(previous));
		}
	}

	private CloseReason reason(int previous) {
		if (this.forced) {
			return CloseReason.FORCED;
		}
		boolean closedForIdle = previous == CLOSING_IDLE
				|| (previous == IDLE && this.closeRequestedEpoch == this.idleEpoch);
		return closedForIdle ? CloseReason.IDLE : CloseReason.COMPLETED;
	}

	boolean hasCarriedRequest() {
		return this.carriedRequest;
	}

	boolean isIdle() {
		return this.state.get() == IDLE;
	}

	long idleNanos(long nowNanos) {
		return nowNanos - this.idleSinceNanos;
	}

	void requestIdleClose() {
		long epoch = this.idleEpoch;
		if (this.closeRequestedEpoch != epoch) {
			this.closeRequestedEpoch = epoch;
			this.control.closeIfIdle();
		}
	}

	void forceClose() {
		this.forced = true;
		this.control.forceClose();
	}

	@Override
	public String toString() {
		return "TrackedConnection[" + this.control + ", state=" + this.state.get() + "]";
	}

}
