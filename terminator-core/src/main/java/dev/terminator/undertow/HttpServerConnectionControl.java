package dev.terminator.undertow;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import dev.terminator.core.ConnectionControl;
import dev.terminator.core.TrackedConnection;
import io.undertow.server.protocol.http.HttpServerConnection;
import org.jspecify.annotations.Nullable;
import org.xnio.IoUtils;

/**
 * Closes one Undertow HTTP/1.x connection for the drain.
 */
final class HttpServerConnectionControl implements ConnectionControl {

	// Up to a second in all. Past it the idle close gives up, the safe way: a connection
	// whose request waited that long for a worker thread is served, with Connection:
	// close, and otherwise closed at the drain's timeout.
	private static final long DISPATCH_RECHECK_MILLIS = 5;

	private static final int DISPATCH_RECHECKS = 200;

	private final HttpServerConnection connection;

	private final boolean trackedAfterDispatch;

	private volatile @Nullable TrackedConnection tracked;

	/**
	 * Create the control of one connection.
	 * @param connection the connection
	 * @param trackedAfterDispatch whether its requests are tracked only once dispatched
	 * to a worker thread (Spring's {@code UndertowHttpHandlerAdapter} dispatches before
	 * the application's handler runs), so that a request the IO thread has parsed is not
	 * tracked yet
	 */
	HttpServerConnectionControl(HttpServerConnection connection, boolean trackedAfterDispatch) {
		this.connection = connection;
		this.trackedAfterDispatch = trackedAfterDispatch;
	}

	void tracks(TrackedConnection tracked) {
		this.tracked = tracked;
	}

	@Override
	public void closeIfIdle() {
		try {
			// Undertow reads an idle connection's next request on its IO thread: running
			// there, the close cannot cut a request that Undertow has already parsed.
			this.connection.getIoThread().execute(this::closeOnIoThread);
		}
		catch (RejectedExecutionException ex) {
			// The worker is stopping and closes the connection itself.
		}
	}

	private void closeOnIoThread() {
		closeOnIoThread(0);
	}

	private void closeOnIoThread(int rechecks) {
		TrackedConnection tracked = this.tracked;
		if (tracked == null) {
			return;
		}
		if (this.trackedAfterDispatch && !this.connection.getChannel().getSourceChannel().isReadResumed()) {
			// Undertow suspends reads once it has parsed a request and resumes them when
			// it waits for the next one: a request parsed but not yet on its worker
			// thread, or a connection whose exchange has just completed. Look again
			// shortly: the first turns active, the second resumes its reads.
			if (rechecks < DISPATCH_RECHECKS) {
				try {
					this.connection.getIoThread()
						.executeAfter(() -> closeOnIoThread(rechecks + 1), DISPATCH_RECHECK_MILLIS,
								TimeUnit.MILLISECONDS);
				}
				catch (RejectedExecutionException ex) {
					// The worker is stopping and closes the connection itself.
				}
			}
			return;
		}
		// Bytes already read but not parsed are a pipelined request: leave it to be
		// served with Connection: close.
		if (this.connection.getExtraBytes() == null && tracked.tryBeginIdleClose()) {
			IoUtils.safeClose(this.connection);
		}
	}

	@Override
	public void forceClose() {
		IoUtils.safeClose(this.connection);
	}

	@Override
	public String toString() {
		return "undertow " + this.connection.getPeerAddress();
	}

}
