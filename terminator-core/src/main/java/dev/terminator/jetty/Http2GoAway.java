package dev.terminator.jetty;

import dev.terminator.core.DrainProgress;
import dev.terminator.core.TerminationListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.eclipse.jetty.http2.ErrorCode;
import org.eclipse.jetty.http2.HTTP2Connection;
import org.eclipse.jetty.http2.SessionContainer;
import org.eclipse.jetty.http2.server.AbstractHTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;

/**
 * Sends a graceful GOAWAY to every HTTP/2 session of a server when the drain begins,
 * through each HTTP/2 connection factory's {@link SessionContainer} ({@code h2} and
 * {@code h2c} alike). Each session then lets its streams in flight complete, and once it
 * has none left sends the final GOAWAY, naming the last stream it processed; the drain
 * then closes the socket as idle ({@link #close(Connection)}), unless the client has
 * closed it first.
 *
 * <p>
 * Not {@code Graceful.shutdown(connector)}: that also lowers every endpoint's idle
 * timeout to the connector's shutdown idle timeout and fails requests in flight.
 * {@code SessionContainer.shutdown()} touches no timeout.
 *
 * <p>
 * The only class of the adapter that refers to HTTP/2 types: {@link JettyAdapter} uses it
 * only when jetty-http2-server 12.0.21 or later (which has {@code SessionContainer}) is
 * on the class path.
 */
final class Http2GoAway implements TerminationListener, IdleSocketCloser {

	private static final Log logger = LogFactory.getLog(Http2GoAway.class);

	private final Server server;

	Http2GoAway(Server server) {
		this.server = server;
	}

	@Override
	public void drainStarted(DrainProgress progress) {
		// The connection factories are read now, not at install: they are final once the
		// server has started.
		for (Connector connector : this.server.getConnectors()) {
			for (ConnectionFactory factory : connector.getConnectionFactories()) {
				if (factory instanceof AbstractHTTP2ServerConnectionFactory http2) {
					shutdown(http2);
				}
			}
		}
	}

	/**
	 * On HTTP/2, a request begins to arrive when the session opens a stream for its
	 * HEADERS: the bytes read do not tell, as clients also send control frames (SETTINGS
	 * and PING acknowledgements, WINDOW_UPDATE, their own GOAWAY). A stream whose HEADERS
	 * had not been read when the socket closes is above the last stream id of the final
	 * GOAWAY, so the client may retry it.
	 */
	@Override
	public long requestProgress(Connection connection) {
		if (connection instanceof HTTP2Connection http2) {
			return http2.getSession().getStreamsOpened();
		}
		return IdleSocketCloser.super.requestProgress(connection);
	}

	/**
	 * Jetty's own close of an HTTP/2 connection ({@code HTTP2Connection.close()}) writes
	 * the final GOAWAY and then waits for the client to close, or for the idle timeout,
	 * so a client that keeps the connection open would hold the drain: here the socket is
	 * closed once that GOAWAY is written. When it was already written (by the shutdown,
	 * once the last stream ended), the session ignores the second and the socket closes
	 * at once.
	 */
	@Override
	public void close(Connection connection) {
		if (connection instanceof HTTP2Connection http2) {
			// The connection's own endpoint: over TLS, closing it sends close_notify
			// first.
			EndPoint endPoint = http2.getEndPoint();
			http2.getSession()
				.close(ErrorCode.NO_ERROR.code, "close", Callback.from(endPoint::close, (failure) -> endPoint.close()));
		}
		else {
			IdleSocketCloser.super.close(connection);
		}
	}

	private static void shutdown(AbstractHTTP2ServerConnectionFactory factory) {
		SessionContainer sessions = factory.getBean(SessionContainer.class);
		if (sessions == null) {
			logger.warn("terminator found no HTTP/2 session container in " + factory
					+ ": its HTTP/2 connections get no GOAWAY when the drain begins");
			return;
		}
		try {
			// Asynchronous: queues the graceful GOAWAY frames and returns; never touches
			// idle timeouts.
			sessions.shutdown();
		}
		catch (RuntimeException ex) {
			logger.warn("Could not send GOAWAY to the HTTP/2 connections of " + factory, ex);
		}
	}

}
