package dev.terminator.jetty;

import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.util.Objects;

import dev.terminator.core.ConnectionControl;
import dev.terminator.core.ServerBinding;
import dev.terminator.core.TrackedConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.jspecify.annotations.Nullable;

/**
 * One accepted TCP socket of Jetty, with the number of requests in flight on it (more
 * than one on HTTP/2).
 */
final class TrackedSocket implements ConnectionControl {

	private final SelectableChannel channel;

	private final SocketTracker tracker;

	// Set once under the lock, before any other thread can reach this socket through the
	// registry.
	private volatile @Nullable TrackedConnection tracked;

	private volatile @Nullable EndPoint endPoint;

	// The latest non-TLS connection opened on this socket: the one that parses requests
	// (HTTP/1.1 or HTTP/2).
	private volatile @Nullable Connection requestConnection;

	// Guarded by this. Jetty offers no public way to run code serialised with its request
	// parsing, so the count, the idle/active transitions and the idle-close decision are
	// serialised with this object's lock instead.
	private int requests;

	// Guarded by this: the socket carries a WebSocket, an exchange that lasts as long as
	// the socket.
	private boolean upgraded;

	// Guarded by this: which connection had read how many bytes when the socket last
	// became idle.
	private @Nullable Connection idleMarkConnection;

	private long idleMarkBytesIn;

	TrackedSocket(SelectableChannel channel, SocketTracker tracker) {
		this.channel = channel;
		this.tracker = tracker;
	}

	synchronized void register(ServerBinding binding) {
		this.tracked = binding.register(this);
	}

	void opened(EndPoint network, Connection connection) {
		if (this.endPoint == null) {
			this.endPoint = network;
		}
		if (!(connection instanceof SslConnection)) {
			this.requestConnection = connection;
			if (WebSocketUpgrades.isWebSocket(connection)) {
				upgraded();
			}
		}
	}

	/**
	 * The socket was upgraded to WebSocket. The upgrade request's stream completes with
	 * the 101 response, which would make the socket idle; a WebSocket is active until it
	 * closes, as on Tomcat and Undertow, so that the drain never closes it as idle
	 * (without a close frame).
	 */
	private synchronized void upgraded() {
		this.upgraded = true;
		tracked().becameActive();
	}

	/**
	 * A request reached the handler.
	 */
	synchronized void requestStarted() {
		if (this.requests++ == 0) {
			tracked().becameActive();
		}
	}

	/**
	 * A request's exchange completed: its response was written in full, or the exchange
	 * failed.
	 * @param connection the connection the request came on
	 * @param persistent whether the connection stays open for another request
	 */
	void requestEnded(Connection connection, boolean persistent) {
		synchronized (this) {
			if (--this.requests > 0 || this.upgraded) {
				return;
			}
			if (persistent || !this.tracker.isClosingConnections()) {
				this.idleMarkConnection = connection;
				this.idleMarkBytesIn = this.tracker.idleCloser().requestProgress(connection);
				tracked().becameIdle();
				return;
			}
		}
		// The response said Connection: close and Jetty shut the output after it. Jetty
		// would keep the socket half-open until the client closes its side; while
		// draining, close it now, as completed (still active).
		closeEndPoint();
	}

	@Override
	public void closeIfIdle() {
		Connection connection;
		synchronized (this) {
			if (this.requests > 0) {
				// A request arrived: its end makes the socket idle again, and the drain
				// asks again then.
				return;
			}
			if (hasReadSinceIdle()) {
				// Part of a request, or a whole one not yet handed to the handler: serve
				// it, don't cut it.
				tracked().becameActive();
				return;
			}
			if (!tracked().tryBeginIdleClose()) {
				return;
			}
			connection = this.requestConnection;
		}
		// A request still in the kernel's buffer, not yet read by Jetty, is lost with the
		// socket: the window every server has when it closes a keep-alive connection.
		if (connection != null) {
			// Jetty's own close path for the connection: TLS sends close_notify, HTTP/2 a
			// GOAWAY.
			this.tracker.idleCloser().close(connection);
		}
		else {
			closeEndPoint();
		}
	}

	@Override
	public void forceClose() {
		closeEndPoint();
	}

	void closed() {
		tracked().closed();
	}

	// The registry hands out the tracked connection only for this control, hence the
	// two steps; Jetty reaches the socket only once both are done.
	private TrackedConnection tracked() {
		return Objects.requireNonNull(this.tracked, "registered before Jetty saw the socket");
	}

	private boolean hasReadSinceIdle() {
		Connection connection = this.requestConnection;
		if (connection == null) {
			return false;
		}
		long baseline = (connection == this.idleMarkConnection) ? this.idleMarkBytesIn : 0;
		return this.tracker.idleCloser().requestProgress(connection) > baseline;
	}

	private void closeEndPoint() {
		EndPoint network = this.endPoint;
		if (network != null) {
			network.close();
			return;
		}
		// Accepted, but Jetty has not built its endpoint yet: closing the channel makes
		// Jetty's accept fail.
		try {
			this.channel.close();
		}
		catch (IOException ex) {
			// Closing anyway: nothing to add.
		}
		this.tracker.untrack(this.channel);
	}

	@Override
	public String toString() {
		return "jetty " + this.channel;
	}

}
