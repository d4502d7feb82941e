package dev.terminator.undertow;

import java.util.concurrent.RejectedExecutionException;

import dev.terminator.core.ConnectionControl;
import dev.terminator.core.TrackedConnection;
import io.undertow.server.protocol.http.HttpServerConnection;
import org.jspecify.annotations.Nullable;
import org.xnio.IoUtils;

/**
 * Closes one Undertow HTTP/1.x connection for the drain.
 */
final class HttpServerConnectionControl implements ConnectionControl {

	private final HttpServerConnection connection;

	private volatile @Nullable TrackedConnection tracked;

	HttpServerConnectionControl(HttpServerConnection connection) {
		this.connection = connection;
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
		TrackedConnection tracked = this.tracked;
		// Bytes already read but not parsed are a pipelined request: leave it to be
		// served with Connection: close.
		if (tracked != null && this.connection.getExtraBytes() == null && tracked.tryBeginIdleClose()) {
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
