package dev.terminator.tomcat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import dev.terminator.core.AcceptQueue;
import dev.terminator.core.ConnectionControl;
import dev.terminator.core.QueuedConnections;
import dev.terminator.core.ServerBinding;
import dev.terminator.core.TrackedConnection;
import org.apache.tomcat.util.net.Acceptor;
import org.apache.tomcat.util.net.NioChannel;
import org.apache.tomcat.util.net.NioEndpoint;
import org.apache.tomcat.util.net.SocketEvent;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.jspecify.annotations.Nullable;

/**
 * A {@link NioEndpoint} that registers each socket when it is accepted, before TLS or the
 * first request, and unregisters it when Tomcat releases it. Its handler is wrapped by a
 * {@link TrackingHandler} that reports whether a request is in flight.
 *
 * <p>
 * When the drain stops it accepting, it serves the connections waiting in the listen
 * socket's accept queue rather than let the kernel reset them as the socket closes: the
 * one socket its acceptor takes after it was told to stop, which Tomcat would close, and
 * every connection still queued once the acceptor has ended, taken in non-blocking mode
 * until none is left, just before the close. Only protected API, the same in Tomcat 10.1
 * and 11.
 */
class TrackingNioEndpoint extends NioEndpoint {

	private static final int UNLOCK_TIMEOUT_MILLIS = 2000;

	private static final long ACCEPTOR_END_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(1);

	private static final long ACCEPTOR_END_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

	private final Map<SocketChannel, TrackedConnection> tracked = new ConcurrentHashMap<>();

	private volatile @Nullable ServerBinding binding;

	// Set once the drain stops accepting; from then on the listen socket's close drains
	// the accept queue first, and the acceptor's last socket is served.
	private volatile boolean drainAcceptQueue;

	// The connections handed to Tomcat since: the acceptor's last one and the queued
	// ones, not the unlock connection.
	private final AtomicInteger served = new AtomicInteger();

	// The local address of the connection that gets the acceptor out of accept(), known
	// before it connects: neither served nor counted, wherever it lands.
	private volatile @Nullable SocketAddress unlockConnection;

	// Whether the accept queue was drained before the listen socket closed.
	private volatile boolean drained;

	// Set on a thread that hands a socket to Tomcat here: setSocketOptions() destroys a
	// socket it fails to wrap, which must then be destroyed, not handed over again.
	private final ThreadLocal<Boolean> handingOver = ThreadLocal.withInitial(() -> Boolean.FALSE);

	void trackWith(ServerBinding binding) {
		this.binding = binding;
	}

	/**
	 * Stop accepting as Tomcat's graceful close does (the acceptor stopped, then the
	 * listen socket closed), serving the connections in the accept queue.
	 * @return the connections taken from the queue; not drained if the acceptor did not
	 * end within Tomcat's own wait for it (1 s), as its close then closes the socket
	 * under an acceptor that may still be in {@code accept()}
	 */
	QueuedConnections closeServerSocketDraining() {
		this.drainAcceptQueue = true;
		closeServerSocketGraceful();
		return this.drained ? QueuedConnections.served(this.served.get()) : QueuedConnections.notDrained();
	}

	@Override
	protected void doCloseServerSocket() throws IOException {
		// Also called by unbind() once the endpoint stops (not running by then), and with
		// the listen socket already closed.
		if (this.drainAcceptQueue && isRunning() && getServerSocket() instanceof ServerSocketChannel server
				&& server.isOpen() && this.acceptor != null
				&& this.acceptor.getState() == Acceptor.AcceptorState.ENDED) {
			// Ended: no thread is in accept(), which the switch to non-blocking mode
			// would wait for.
			this.handingOver.set(Boolean.TRUE);
			try {
				AcceptQueue.drainThenClose(server, this::handOverQueued, super::doCloseServerSocket);
				this.drained = true;
			}
			finally {
				this.handingOver.remove();
			}
			return;
		}
		super.doCloseServerSocket();
	}

	/**
	 * Get the acceptor out of {@code accept()}, as Tomcat does, with a connection to the
	 * listen socket, then wait for it to end (up to 1 s, as Tomcat). Tomcat's own
	 * connection cannot be told from a client's, and would be served and tracked like
	 * one: once the drain stops accepting, the connection is this endpoint's, from an
	 * address it knows. An acceptor whose thread has not run yet (a server stopped just
	 * after it started) is given the same time to see that it must stop.
	 */
	@Override
	protected void unlockAccept() {
		Acceptor<SocketChannel> acceptor = this.acceptor;
		if (this.drainAcceptQueue && acceptor != null) {
			awaitStarted(acceptor);
		}
		if (!this.drainAcceptQueue || getUnixDomainSocketPath() != null || acceptor == null
				|| acceptor.getState() != Acceptor.AcceptorState.RUNNING) {
			super.unlockAccept();
			return;
		}
		try (Socket socket = new Socket()) {
			InetSocketAddress address = AcceptQueue.selfConnectAddress(getLocalAddress());
			socket.setSoLinger(true, 0);
			// Bound first: the acceptor may take the connection before connect() returns.
			socket.bind(new InetSocketAddress(address.getAddress(), 0));
			this.unlockConnection = socket.getLocalSocketAddress();
			socket.connect(address, UNLOCK_TIMEOUT_MILLIS);
		}
		catch (IOException ex) {
			// The acceptor may still be in accept(): the close skips the drain.
			return;
		}
		long deadline = System.nanoTime() + ACCEPTOR_END_TIMEOUT_NANOS;
		while (acceptor.getState() == Acceptor.AcceptorState.RUNNING && System.nanoTime() - deadline < 0) {
			LockSupport.parkNanos(ACCEPTOR_END_POLL_NANOS);
		}
	}

	// The acceptor is NEW until its thread checks whether it must stop (it then ends) or
	// goes on to accept() (RUNNING). Left NEW, Tomcat's own close would run and leave the
	// queue undrained.
	private static void awaitStarted(Acceptor<SocketChannel> acceptor) {
		long deadline = System.nanoTime() + ACCEPTOR_END_TIMEOUT_NANOS;
		while (acceptor.getState() == Acceptor.AcceptorState.NEW && System.nanoTime() - deadline < 0) {
			LockSupport.parkNanos(ACCEPTOR_END_POLL_NANOS);
		}
	}

	private boolean isUnlockConnection(SocketChannel socket) {
		SocketAddress unlock = this.unlockConnection;
		try {
			return unlock != null && unlock.equals(socket.getRemoteAddress());
		}
		catch (IOException ex) {
			return false;
		}
	}

	@Override
	public void setHandler(Handler<NioChannel> handler) {
		super.setHandler(new TrackingHandler(handler, this));
	}

	@Override
	protected boolean setSocketOptions(SocketChannel socket) {
		ServerBinding terminator = this.binding;
		if (terminator != null) {
			// Registered before Tomcat sees the socket, so that a close racing with this
			// method finds it.
			this.tracked.put(socket, terminator.register(new SocketControl(socket)));
		}
		return super.setSocketOptions(socket);
	}

	@Override
	protected void destroySocket(SocketChannel socket) {
		// The acceptor's socket after it was told to stop (the last it takes, a queued
		// client or the unlock connection): a client's is served rather than closed, once
		// the drain stopped accepting. Not a socket Tomcat already wrapped, nor one that
		// setSocketOptions() failed to wrap here.
		if (this.drainAcceptQueue && isRunning() && !this.handingOver.get() && !this.connections.containsKey(socket)
				&& !isUnlockConnection(socket)) {
			this.handingOver.set(Boolean.TRUE);
			try {
				handOver(socket);
				this.served.incrementAndGet();
			}
			finally {
				this.handingOver.remove();
			}
			return;
		}
		super.destroySocket(socket);
		untrack(socket);
	}

	private void handOverQueued(SocketChannel socket) {
		if (isUnlockConnection(socket)) {
			try {
				socket.close();
			}
			catch (IOException ex) {
				// Reset by its client already: nothing to add.
			}
			return;
		}
		handOver(socket);
		this.served.incrementAndGet();
	}

	// As the acceptor does with a socket it accepted.
	private void handOver(SocketChannel socket) {
		if (!setSocketOptions(socket)) {
			closeSocket(socket);
		}
	}

	@Nullable TrackedConnection tracked(SocketWrapperBase<NioChannel> wrapper) {
		return this.tracked.get(wrapper.getSocket().getIOChannel());
	}

	void untrack(SocketWrapperBase<NioChannel> wrapper) {
		untrack(wrapper.getSocket().getIOChannel());
	}

	private void untrack(SocketChannel socket) {
		TrackedConnection connection = this.tracked.remove(socket);
		if (connection != null) {
			connection.closed();
		}
	}

	private final class SocketControl implements ConnectionControl {

		private final SocketChannel socket;

		SocketControl(SocketChannel socket) {
			this.socket = socket;
		}

		@Override
		public void closeIfIdle() {
			SocketWrapperBase<NioChannel> wrapper = TrackingNioEndpoint.this.connections.get(this.socket);
			if (wrapper != null) {
				// Runs on a worker under the socket's lock, like a keep-alive timeout:
				// the TrackingHandler closes it only if no request arrived meanwhile.
				processSocket(wrapper, SocketEvent.DISCONNECT, true);
			}
		}

		@Override
		public void forceClose() {
			SocketWrapperBase<NioChannel> wrapper = TrackingNioEndpoint.this.connections.get(this.socket);
			if (wrapper != null) {
				wrapper.close();
			}
			else {
				try {
					this.socket.close();
				}
				catch (IOException ex) {
					// Closing anyway: nothing to add.
				}
				untrack(this.socket);
			}
		}

		@Override
		public String toString() {
			return "tomcat " + this.socket;
		}

	}

}
