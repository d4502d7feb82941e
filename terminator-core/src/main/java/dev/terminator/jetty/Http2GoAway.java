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
 * Sends a graceful GOAWAY to every HTTP/2 session (h2 and h2c) when the drain begins, and
 * closes an idle HTTP/2 socket once its final GOAWAY is written. The adapter's only class
 * that refers to HTTP/2 types: used only when jetty-http2-server 12.0.21+ is present.
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

	@Override
	public long requestProgress(Connection connection) {
		if (connection instanceof HTTP2Connection http2) {
			// Streams opened, not bytes read: clients also send control frames (SETTINGS
			// and PING acknowledgements, WINDOW_UPDATE, GOAWAY). A stream whose HEADERS
			// were not read before the close is above the final GOAWAY's last stream id,
			// so the client may retry it.
			return http2.getSession().getStreamsOpened();
		}
		return IdleSocketCloser.super.requestProgress(connection);
	}

	@Override
	public void close(Connection connection) {
		if (connection instanceof HTTP2Connection http2) {
			// Not HTTP2Connection.close(): it writes the final GOAWAY and then waits for
			// the client to close, or for the idle timeout. Here the socket closes once
			// that GOAWAY is written; if the shutdown already wrote it, the session
			// ignores this one and the socket closes at once. The connection's own
			// endpoint: over TLS, closing it sends close_notify first.
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
			// Asynchronous: queues the graceful GOAWAY frames and returns. Not
			// Graceful.shutdown(connector), which also lowers every endpoint's idle
			// timeout to the connector's shutdown idle timeout and fails requests in
			// flight.
			sessions.shutdown();
		}
		catch (RuntimeException ex) {
			logger.warn("Could not send GOAWAY to the HTTP/2 connections of " + factory, ex);
		}
	}

}
