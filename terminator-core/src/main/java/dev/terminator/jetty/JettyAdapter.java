package dev.terminator.jetty;

import java.io.IOException;
import java.nio.channels.Channel;
import java.util.ArrayList;
import java.util.List;

import dev.terminator.core.HttpTerminator;
import dev.terminator.core.QueuedConnections;
import dev.terminator.core.RequestThreads;
import dev.terminator.core.ServerAdapter;
import dev.terminator.core.ServerBinding;
import dev.terminator.core.UntrackedConnector;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Hands the sockets of a Jetty 12 {@link Server} to a {@link HttpTerminator}, through
 * public Jetty APIs only: one adapter per server.
 *
 * <ul>
 * <li>Every {@link ServerConnector} gets a listener that sees each accepted socket from
 * {@code SelectorManager.AcceptListener#onAccepting} to {@code #onClosed}: one tracked
 * connection per TCP socket, however many {@code Connection} objects TLS, ALPN or an
 * upgrade put on it.</li>
 * <li>A root handler counts the requests in flight on each socket, which tells idle from
 * active.</li>
 * <li>The drain closes the listen socket with {@link NetworkConnector#close()}, not
 * {@link Connector#shutdown()}: the latter also lowers the idle timeout of every open
 * connection to the connector's shutdown idle timeout (1 s), which fails requests still
 * running (jetty/jetty.project#11515).</li>
 * <li>When jetty-http2-server is present, the drain sends every HTTP/2 session a graceful
 * GOAWAY as it begins ({@link Http2GoAway}).</li>
 * </ul>
 *
 * <p>
 * {@link HttpTerminator#install Install} it before the server starts, after the
 * connectors are in place (for example from a server customizer).
 */
public final class JettyAdapter implements ServerAdapter {

	// What Http2GoAway needs: jetty-http2-server, 12.0.21 or later for SessionContainer.
	private static final String[] HTTP2_SERVER_CLASSES = {
			"org.eclipse.jetty.http2.server.AbstractHTTP2ServerConnectionFactory",
			"org.eclipse.jetty.http2.SessionContainer" };

	private final Server server;

	/**
	 * Create the adapter of a server.
	 * @param server the server, not yet started, its connectors in place
	 */
	public JettyAdapter(Server server) {
		this.server = server;
	}

	@Override
	public String serverName() {
		return "jetty";
	}

	/**
	 * Track the connections of every connector of the server and let the drain close
	 * their listen sockets.
	 * @param binding the adapter's binding
	 * @return the connectors whose connections cannot be tracked, those that are not a
	 * {@link ServerConnector} (their listen socket, if they have one, is still closed on
	 * drain); empty when every connection is tracked
	 */
	@Override
	public List<UntrackedConnector> install(ServerBinding binding) {
		List<UntrackedConnector> untracked = new ArrayList<>();
		Http2GoAway http2 = isHttp2ServerPresent() ? new Http2GoAway(this.server) : null;
		SocketTracker tracker = (http2 != null) ? new SocketTracker(binding, http2) : new SocketTracker(binding);
		for (Connector connector : this.server.getConnectors()) {
			if (connector instanceof ServerConnector serverConnector) {
				// As a bean, it is registered with the connector's SelectorManager on
				// start (AcceptListener) and added to each Connection the connector
				// creates (Connection.Listener).
				serverConnector.addBean(tracker);
			}
			else {
				untracked.add(new UntrackedConnector("Jetty connector " + connector,
						"it is a " + connector.getClass().getName() + ", not a ServerConnector"));
			}
			if (connector instanceof NetworkConnector networkConnector) {
				binding.addListenSocket(() -> stopAccepting(networkConnector));
			}
		}
		RequestTrackingHandler handler = new RequestTrackingHandler(tracker);
		handler.setHandler(this.server.getHandler());
		this.server.setHandler(handler);
		if (http2 != null) {
			binding.addListener(http2);
		}
		binding.stopWithoutWaitingAfterCut(new PoolThreads(this.server));
		return untracked;
	}

	// Checked here, by name: Http2GoAway, the only class that refers to HTTP/2 types,
	// must not be loaded without them.
	private static boolean isHttp2ServerPresent() {
		ClassLoader classLoader = JettyAdapter.class.getClassLoader();
		for (String name : HTTP2_SERVER_CLASSES) {
			try {
				Class.forName(name, false, classLoader);
			}
			catch (ClassNotFoundException | LinkageError ex) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Close the listen socket of a connector and nothing else.
	 * @param connector the connector
	 * @throws IOException if the listen socket could not be closed
	 */
	static QueuedConnections stopAccepting(NetworkConnector connector) throws IOException {
		// Closes the accept channel when the connector has acceptor threads; they see it
		// closed and end quietly.
		connector.close();
		if (connector.isOpen()) {
			// With no acceptor threads, ServerConnector leaves the accept channel to its
			// selector: take it off the selector first, then close it, so that new
			// connections are refused rather than left in the backlog.
			if (connector instanceof AbstractConnector abstractConnector) {
				abstractConnector.setAccepting(false);
			}
			if (connector.getTransport() instanceof Channel channel) {
				channel.close();
			}
		}
		return QueuedConnections.notDrained();
	}

	@Override
	public String toString() {
		return "JettyAdapter[" + this.server + "]";
	}

	/**
	 * The threads of the server's {@link QueuedThreadPool}. When the server stops, the
	 * pool waits up to its stop timeout for busy threads, half of it before interrupting
	 * them; its public setter sets that timeout to zero, and the pool then stops without
	 * joining its threads. A pool of another kind is left as it is.
	 */
	private static final class PoolThreads implements RequestThreads {

		private final Server server;

		PoolThreads(Server server) {
			this.server = server;
		}

		@Override
		public void stopWithoutWaiting() {
			if (this.server.getThreadPool() instanceof QueuedThreadPool pool) {
				pool.setStopTimeout(0);
			}
		}

		@Override
		public int busyCount() {
			return (this.server.getThreadPool() instanceof QueuedThreadPool pool) ? pool.getBusyThreads() : 0;
		}

	}

}
