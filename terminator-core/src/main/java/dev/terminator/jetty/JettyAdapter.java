package dev.terminator.jetty;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import dev.terminator.core.AcceptQueue;

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
 * <li>The drain stops each {@link ServerConnector}'s acceptors, hands the connections
 * waiting in its accept queue to its selector manager, as its acceptors would have, then
 * closes the listen socket with {@link NetworkConnector#close()}, not
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

	private static final int UNLOCK_TIMEOUT_MILLIS = 1000;

	private static final long DEREGISTER_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(1);

	private static final long DEREGISTER_POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

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
				binding.addListenSocket(() -> stopAccepting(networkConnector, tracker));
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
	 * Stop accepting on a connector: its accept queue is drained into the connector, then
	 * its listen socket closed, and nothing else.
	 * @param connector the connector
	 * @param tracker the tracker of the connector's sockets
	 * @return the connections taken from the accept queue; not drained if the connector
	 * is not a {@link ServerConnector}, or its acceptors could not be stopped in time
	 * @throws IOException if the listen socket could not be closed
	 */
	static QueuedConnections stopAccepting(NetworkConnector connector, SocketTracker tracker) throws IOException {
		if (connector instanceof ServerConnector serverConnector && serverConnector.isOpen()
				&& serverConnector.getTransport() instanceof ServerSocketChannel channel) {
			return drainThenClose(serverConnector, channel, tracker);
		}
		close(connector);
		return QueuedConnections.notDrained();
	}

	// Closes the accept channel when the connector has acceptor threads; they see it
	// closed and end quietly.
	private static void close(NetworkConnector connector) throws IOException {
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
	}

	private static QueuedConnections drainThenClose(ServerConnector connector, ServerSocketChannel channel,
			SocketTracker tracker) throws IOException {
		// Acceptor threads check this between two accept() calls and then wait; with
		// none, the selector cancels its OP_ACCEPT key, asynchronously.
		connector.setAccepting(false);
		boolean stopped = (connector.getAcceptors() > 0) ? releaseAcceptors(connector, channel, tracker)
				: awaitDeregistered(channel);
		if (!stopped) {
			close(connector);
			return QueuedConnections.notDrained();
		}
		AtomicInteger served = new AtomicInteger();
		AcceptQueue.drainThenClose(channel, (connection) -> {
			if (tracker.isReleaseConnection(connection)) {
				closeQuietly(connection);
			}
			else {
				accept(connector, connection);
				served.incrementAndGet();
			}
		}, channel::close);
		// Its listeners see it closed; the channel is closed already.
		connector.close();
		return QueuedConnections.served(served.get());
	}

	// Each acceptor thread may be blocked in accept(), which switching the channel to
	// non-blocking mode would wait for: a connection to the listen socket per acceptor
	// releases them, as Tomcat's unlockAccept() does. Each takes at most one connection
	// after setAccepting(false) (then it sees it and waits), so that as many connections
	// release them all. The clients an acceptor takes and those left in the queue are
	// served; these connections are neither tracked nor served, wherever they land (the
	// tracker knows their addresses). One that fails to connect within its timeout: not
	// drained.
	private static boolean releaseAcceptors(ServerConnector connector, ServerSocketChannel channel,
			SocketTracker tracker) {
		try {
			InetSocketAddress address = unlockAddress(channel);
			for (int i = 0; i < connector.getAcceptors(); i++) {
				try (Socket socket = new Socket()) {
					// Reset rather than closed: nothing lingers in TIME_WAIT on the port.
					socket.setSoLinger(true, 0);
					// Bound first: an acceptor may take it before connect() returns.
					socket.bind(new InetSocketAddress(address.getAddress(), 0));
					tracker.releasingWith(socket.getLocalSocketAddress());
					socket.connect(address, UNLOCK_TIMEOUT_MILLIS);
				}
			}
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static InetSocketAddress unlockAddress(ServerSocketChannel channel) throws IOException {
		if (!(channel.getLocalAddress() instanceof InetSocketAddress local)) {
			throw new IOException("Not listening on an IP address: " + channel.getLocalAddress());
		}
		return AcceptQueue.selfConnectAddress(local);
	}

	// With no acceptor threads the selector accepts: the channel must be off the selector
	// before the drain, or the selector accepts beside it, and the close is deferred
	// until the selector lets go of the channel. The selector drops the key on its next
	// select, within microseconds: polled, with no Jetty hook to wait on, for a bounded
	// time.
	private static boolean awaitDeregistered(ServerSocketChannel channel) {
		long deadline = System.nanoTime() + DEREGISTER_TIMEOUT_NANOS;
		while (channel.isRegistered()) {
			if (System.nanoTime() - deadline > 0) {
				return false;
			}
			LockSupport.parkNanos(DEREGISTER_POLL_NANOS);
		}
		return true;
	}

	// What ServerConnector does with a connection its acceptor took (accepted() and
	// configure(), both not public), through the selector manager's public accept(): its
	// AcceptListeners, the SocketTracker among them, see it like any other.
	private static void accept(ServerConnector connector, SocketChannel connection) {
		try {
			connection.configureBlocking(false);
			Socket socket = connection.socket();
			socket.setTcpNoDelay(connector.getAcceptedTcpNoDelay());
			if (connector.getAcceptedReceiveBufferSize() > -1) {
				socket.setReceiveBufferSize(connector.getAcceptedReceiveBufferSize());
			}
			if (connector.getAcceptedSendBufferSize() > -1) {
				socket.setSendBufferSize(connector.getAcceptedSendBufferSize());
			}
			connector.getSelectorManager().accept(connection);
		}
		catch (IOException | RuntimeException ex) {
			closeQuietly(connection);
		}
	}

	private static void closeQuietly(SocketChannel connection) {
		try {
			connection.close();
		}
		catch (IOException ex) {
			// Closed all the same, or reset by its client: nothing to add.
		}
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
