package dev.terminator.jetty;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.terminator.core.ServerBinding;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SelectorManager;
import org.jspecify.annotations.Nullable;

/**
 * Follows each accepted socket of a connector from accept to close, keyed by its channel,
 * and learns from each {@link Connection} opened on it its network endpoint and the
 * connection that parses its requests.
 */
final class SocketTracker implements SelectorManager.AcceptListener, Connection.Listener {

	// Sockets, not Connections: TLS puts an SslConnection and an HTTP connection on one
	// socket, ALPN an extra negotiating one, and an upgrade replaces one by another. The
	// AcceptListener callbacks come once per channel: onAccepting before Jetty builds the
	// endpoint, onClosed (or onAcceptFailed) once the socket is gone.
	private final Map<Object, TrackedSocket> sockets = new ConcurrentHashMap<>();

	// The local addresses of the connections the drain makes to release acceptor threads
	// from accept(): not clients, so not tracked, wherever they land.
	private final Set<SocketAddress> releaseConnections = ConcurrentHashMap.newKeySet();

	private final ServerBinding binding;

	private final IdleSocketCloser idleCloser;

	SocketTracker(ServerBinding binding) {
		this(binding, new IdleSocketCloser() {
		});
	}

	SocketTracker(ServerBinding binding, IdleSocketCloser idleCloser) {
		this.binding = binding;
		this.idleCloser = idleCloser;
	}

	@Override
	public void onAccepting(SelectableChannel channel) {
		if (isReleaseConnection(channel)) {
			return;
		}
		TrackedSocket socket = new TrackedSocket(channel, this);
		// In the map before it is registered, so that a close racing with the
		// registration finds it.
		this.sockets.put(channel, socket);
		socket.register(this.binding);
	}

	@Override
	public void onAcceptFailed(SelectableChannel channel, Throwable cause) {
		untrack(channel);
	}

	@Override
	public void onClosed(SelectableChannel channel) {
		untrack(channel);
	}

	@Override
	public void onOpened(Connection connection) {
		EndPoint network = networkEndPoint(connection.getEndPoint());
		TrackedSocket socket = socketOn(network);
		if (socket != null) {
			socket.opened(network, connection);
		}
	}

	/**
	 * The tracked socket a connection runs on.
	 * @param connection a connection, at any layer (TLS, HTTP/1.1, HTTP/2)
	 * @return the socket, or {@code null} if it is not tracked (already closed, or not
	 * from a tracked connector)
	 */
	@Nullable TrackedSocket socketOf(Connection connection) {
		return socketOn(networkEndPoint(connection.getEndPoint()));
	}

	/**
	 * Remember a connection that releases an acceptor thread, before it connects.
	 * @param localAddress its local address
	 */
	void releasingWith(SocketAddress localAddress) {
		this.releaseConnections.add(localAddress);
	}

	/**
	 * Whether an accepted channel is a connection that releases an acceptor thread.
	 * @param channel the channel
	 * @return {@code true} if it is one
	 */
	boolean isReleaseConnection(SelectableChannel channel) {
		if (this.releaseConnections.isEmpty() || !(channel instanceof NetworkChannel network)) {
			return false;
		}
		try {
			return (network instanceof SocketChannel socket)
					&& this.releaseConnections.contains(socket.getRemoteAddress());
		}
		catch (IOException ex) {
			return false;
		}
	}

	IdleSocketCloser idleCloser() {
		return this.idleCloser;
	}

	boolean isClosingConnections() {
		return this.binding.isClosingConnections();
	}

	void untrack(Object channel) {
		TrackedSocket socket = this.sockets.remove(channel);
		if (socket != null) {
			socket.closed();
		}
	}

	private @Nullable TrackedSocket socketOn(EndPoint network) {
		// In-memory endpoints (LocalConnector, MemoryConnector) have no channel.
		Object channel = network.getTransport();
		return (channel != null) ? this.sockets.get(channel) : null;
	}

	private static EndPoint networkEndPoint(EndPoint endPoint) {
		EndPoint network = endPoint;
		while (network instanceof EndPoint.Wrapper wrapper) {
			network = wrapper.unwrap();
		}
		return network;
	}

}
