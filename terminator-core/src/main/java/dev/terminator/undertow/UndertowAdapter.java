package dev.terminator.undertow;

import java.util.List;

import dev.terminator.core.HttpTerminator;
import dev.terminator.core.ListenSocket;
import dev.terminator.core.QueuedConnections;
import dev.terminator.core.ServerAdapter;
import dev.terminator.core.ServerBinding;
import dev.terminator.core.UntrackedConnector;
import io.undertow.server.HandlerWrapper;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Reports the HTTP/1.x and HTTP/2 connections of an Undertow servlet deployment to a
 * {@link HttpTerminator}: one adapter per server. {@link HttpTerminator#install Install}
 * it, then add its {@link #handlerWrapper()} with
 * {@code DeploymentInfo.addInitialHandlerChainWrapper(...)}, so that it sees each request
 * on the IO thread before the servlet container dispatches it. Under Spring WebFlux,
 * where Spring's {@code UndertowHttpHandlerAdapter} is the server's handler and there is
 * no deployment, a {@link ConnectionTrackingHttpHandlerDecorator} does the same.
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
public final class UndertowAdapter implements ServerAdapter {

	private static final Log logger = LogFactory.getLog(UndertowAdapter.class);

	private final ListenSocket listenSocket;

	private volatile @Nullable ServerBinding binding;

	/**
	 * Create the adapter of a server that runs on a worker Undertow created, which keeps
	 * accepting until the web server stops (see {@link #keepAccepting()}).
	 */
	public UndertowAdapter() {
		this(UndertowAdapter::keepAccepting);
	}

	/**
	 * Create the adapter of a server whose accepting the drain stops with the given
	 * listen socket: one that can close the listen socket alone because the server runs
	 * on a {@link DrainableWorker}.
	 * @param listenSocket what stops the server's accepting
	 */
	public UndertowAdapter(ListenSocket listenSocket) {
		this.listenSocket = listenSocket;
	}

	@Override
	public String serverName() {
		return "undertow";
	}

	@Override
	public List<UntrackedConnector> install(ServerBinding binding) {
		binding.addListenSocket(this.listenSocket);
		this.binding = binding;
		return List.of();
	}

	/**
	 * The wrapper to add to the deployment's initial handler chain.
	 * @return the wrapper, which wraps the chain in the handler that tracks connections
	 * @throws IllegalStateException if the adapter is not installed yet
	 */
	public HandlerWrapper handlerWrapper() {
		ServerBinding installed = binding();
		return (handler) -> new ConnectionTrackingHandler(handler, installed);
	}

	/**
	 * The binding the adapter got when it was installed.
	 * @return the binding
	 * @throws IllegalStateException if the adapter is not installed yet
	 */
	ServerBinding binding() {
		ServerBinding installed = this.binding;
		if (installed == null) {
			throw new IllegalStateException("Install " + this + " with HttpTerminator.install first");
		}
		return installed;
	}

	/**
	 * What stopping to accept amounts to on a server that runs on a worker Undertow
	 * created: nothing but a log line, as the listen socket cannot be closed alone.
	 * @return that the accept queue is not drained
	 */
	public static QueuedConnections keepAccepting() {
		logger.info("Undertow keeps accepting connections until the web server stops (Undertow has no public API to"
				+ " close its listen socket without closing every connection): connections opened during the drain"
				+ " are served with Connection: close");
		return QueuedConnections.notDrained();
	}

}
