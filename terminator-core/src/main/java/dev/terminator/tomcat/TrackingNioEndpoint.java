package dev.terminator.tomcat;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.terminator.core.ConnectionControl;
import dev.terminator.core.ServerBinding;
import dev.terminator.core.TrackedConnection;
import org.apache.tomcat.util.net.NioChannel;
import org.apache.tomcat.util.net.NioEndpoint;
import org.apache.tomcat.util.net.SocketEvent;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.jspecify.annotations.Nullable;

/**
 * A {@link NioEndpoint} that registers each socket when it is accepted, before TLS or the
 * first request, and unregisters it when Tomcat releases it. Its handler is wrapped by a
 * {@link TrackingHandler} that reports whether a request is in flight.
 */
class TrackingNioEndpoint extends NioEndpoint {

	private final Map<SocketChannel, TrackedConnection> tracked = new ConcurrentHashMap<>();

	private volatile @Nullable ServerBinding binding;

	void trackWith(ServerBinding binding) {
		this.binding = binding;
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
		super.destroySocket(socket);
		untrack(socket);
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
