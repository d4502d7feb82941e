package dev.terminator.jetty;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Root handler that counts the requests in flight on each tracked socket: from the moment
 * a request reaches it until Jetty completes the request's {@link HttpStream}.
 */
final class RequestTrackingHandler extends Handler.Wrapper {

	private final SocketTracker tracker;

	RequestTrackingHandler(SocketTracker tracker) {
		this.tracker = tracker;
	}

	@Override
	public boolean handle(Request request, Response response, Callback callback) throws Exception {
		ConnectionMetaData metaData = request.getConnectionMetaData();
		Connection connection = metaData.getConnection();
		TrackedSocket socket = this.tracker.socketOf(connection);
		if (socket != null) {
			socket.requestStarted();
			// Counted to the stream's end, not to the handler's Callback as Jetty's
			// GracefulHandler does: Jetty may still write the end of the response (the
			// last chunk, or an error page) after the callback, and a socket closed as
			// idle then would cut it.
			try {
				request.addHttpStreamWrapper((stream) -> new CountingStream(stream, socket, connection, metaData));
			}
			catch (RuntimeException ex) {
				socket.requestEnded(connection, metaData.isPersistent());
				throw ex;
			}
		}
		return super.handle(request, response, callback);
	}

	/**
	 * Ends the request's count when Jetty completes its stream: the only place it does
	 * so, once per request.
	 */
	private static final class CountingStream extends HttpStream.Wrapper {

		private final TrackedSocket socket;

		private final Connection connection;

		private final ConnectionMetaData metaData;

		CountingStream(HttpStream stream, TrackedSocket socket, Connection connection, ConnectionMetaData metaData) {
			super(stream);
			this.socket = socket;
			this.connection = connection;
			this.metaData = metaData;
		}

		@Override
		public void succeeded() {
			// Read before Jetty resets the connection for the next request.
			boolean persistent = this.metaData.isPersistent();
			try {
				super.succeeded();
			}
			finally {
				this.socket.requestEnded(this.connection, persistent);
			}
		}

		@Override
		public void failed(Throwable failure) {
			try {
				super.failed(failure);
			}
			finally {
				// Jetty closes the connection after a failed exchange; until it does,
				// nothing is in flight.
				this.socket.requestEnded(this.connection, true);
			}
		}

	}

}
