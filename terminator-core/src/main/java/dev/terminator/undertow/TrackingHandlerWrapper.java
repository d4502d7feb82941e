package dev.terminator.undertow;

import dev.terminator.core.Acceptor;
import dev.terminator.core.ConnectionRegistry;
import dev.terminator.core.HttpTerminator;
import io.undertow.server.HandlerWrapper;
import io.undertow.server.HttpHandler;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Reports the HTTP/1.x and HTTP/2 connections of an Undertow servlet deployment to a
 * {@link HttpTerminator}. Add it with
 * {@code DeploymentInfo.addInitialHandlerChainWrapper(...)}, so that it sees each request
 * on the IO thread before the servlet container dispatches it.
 *
 * <p>
 * Undertow 2.3 reports nothing about a connection before its first request:
 * {@code HttpOpenListener} is final, built inside {@code Undertow.start()}, and keeps its
 * connections private. A connection is therefore tracked from its first request on; one
 * that never sends a request stays invisible until the web server stops.
 *
 * <p>
 * Undertow 2.3 also offers no public way to close its listen socket alone: the accepting
 * channel is private to {@code Undertow} and {@code Undertow.ListenerInfo},
 * {@code ListenerInfo.suspend()} closes every connection, active ones included, and
 * {@code Undertow.stop()} shuts down the worker it created. Only a server that runs on a
 * worker it was given ({@link DrainableWorker}) can stop accepting, with
 * {@code Undertow.stop()}; any other keeps accepting while it drains, and connections
 * opened then are served with {@code Connection: close} and closed after their response.
 *
 * <p>
 * HTTP/2 connections are tracked from their first stream, so the drain waits for their
 * streams in flight, but Undertow 2.3 offers no public way to send them GOAWAY or to
 * close them (see {@link Http2ChannelControl}).
 */
public final class TrackingHandlerWrapper implements HandlerWrapper {

	private static final Log logger = LogFactory.getLog(TrackingHandlerWrapper.class);

	private final ConnectionRegistry connections;

	private TrackingHandlerWrapper(ConnectionRegistry connections) {
		this.connections = connections;
	}

	/**
	 * Report the connections of one Undertow server to the terminator.
	 * @param terminator the terminator
	 * @return the wrapper to add to the deployment's initial handler chain
	 */
	public static TrackingHandlerWrapper trackWith(HttpTerminator terminator) {
		return trackWith(terminator, TrackingHandlerWrapper::keepAccepting);
	}

	/**
	 * Report the connections of one Undertow server to the terminator, which stops its
	 * accepting with the given acceptor: one that can close the listen socket alone
	 * because the server runs on a {@link DrainableWorker}.
	 * @param terminator the terminator
	 * @param acceptor what stops the server's accepting
	 * @return the wrapper to add to the deployment's initial handler chain
	 */
	public static TrackingHandlerWrapper trackWith(HttpTerminator terminator, Acceptor acceptor) {
		terminator.attach("undertow", acceptor);
		return new TrackingHandlerWrapper(terminator.connections());
	}

	@Override
	public HttpHandler wrap(HttpHandler handler) {
		return new ConnectionTrackingHandler(handler, this.connections);
	}

	/**
	 * What stopping to accept amounts to on a server that runs on a worker Undertow
	 * created: nothing but a log line, as the listen socket cannot be closed alone.
	 */
	public static void keepAccepting() {
		logger.info("Undertow keeps accepting connections until the web server stops (Undertow has no public API to"
				+ " close its listen socket without closing every connection): connections opened during the drain"
				+ " are served with Connection: close");
	}

}
