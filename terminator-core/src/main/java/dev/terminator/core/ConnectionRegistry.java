package dev.terminator.core;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server's open connections, each idle or active. Server adapters register a
 * connection through their {@link ServerBinding} when its socket is accepted and report
 * what it does through the returned {@link TrackedConnection}.
 */
final class ConnectionRegistry implements ConnectionCounts {

	private final Set<TrackedConnection> connections = ConcurrentHashMap.newKeySet();

	private final AtomicInteger active = new AtomicInteger();

	private final ConnectionEvents events;

	private final TerminatorClock clock;

	ConnectionRegistry(ConnectionEvents events, TerminatorClock clock) {
		this.events = events;
		this.clock = clock;
	}

	/**
	 * Start tracking a newly accepted connection. It counts as idle until its first
	 * request.
	 * @param control how the drain closes it
	 * @return the tracked connection, to report activity and closing on
	 */
	TrackedConnection register(ConnectionControl control) {
		TrackedConnection connection = new TrackedConnection(this, control, this.clock.nanoTime());
		this.connections.add(connection);
		this.events.registered(connection);
		this.events.becameIdle(connection);
		return connection;
	}

	/**
	 * The number of open connections.
	 * @return open connections
	 */
	@Override
	public int openCount() {
		return this.connections.size();
	}

	/**
	 * The number of connections with a request in flight.
	 * @return active connections
	 */
	@Override
	public int activeCount() {
		return this.active.get();
	}

	/**
	 * The number of open connections with no request in flight.
	 * @return idle connections
	 */
	@Override
	public int idleCount() {
		return Math.max(0, openCount() - activeCount());
	}

	long nanoTime() {
		return this.clock.nanoTime();
	}

	List<TrackedConnection> snapshot() {
		return List.copyOf(this.connections);
	}

	void activated() {
		this.active.incrementAndGet();
		this.events.requestStarted();
	}

	void deactivated(TrackedConnection connection) {
		this.active.decrementAndGet();
		this.events.requestCompleted();
		this.events.becameIdle(connection);
	}

	// Called once per connection (TrackedConnection.closed() guards it). The close is
	// counted before the connection leaves the set, so that whoever sees the registry
	// empty also sees every close counted.
	void removed(TrackedConnection connection, boolean wasActive, CloseReason reason) {
		if (wasActive) {
			this.active.decrementAndGet();
			if (reason == CloseReason.COMPLETED) {
				// Closed after its response, as every connection is during the drain.
				this.events.requestCompleted();
			}
		}
		this.events.closing(connection, reason);
		this.connections.remove(connection);
		this.events.closed(connection, reason);
	}

	/**
	 * What the drain needs to hear from the registry.
	 */
	interface ConnectionEvents {

		void registered(TrackedConnection connection);

		void requestStarted();

		void requestCompleted();

		void becameIdle(TrackedConnection connection);

		void closing(TrackedConnection connection, CloseReason reason);

		void closed(TrackedConnection connection, CloseReason reason);

	}

}
