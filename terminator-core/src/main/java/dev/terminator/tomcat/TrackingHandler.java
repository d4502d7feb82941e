package dev.terminator.tomcat;

import dev.terminator.core.TrackedConnection;
import org.apache.tomcat.util.net.AbstractEndpoint.Handler;
import org.apache.tomcat.util.net.NioChannel;
import org.apache.tomcat.util.net.SocketEvent;
import org.apache.tomcat.util.net.SocketWrapperBase;

/**
 * Wraps Tomcat's connection handler to read each socket's state from what Tomcat itself
 * returns: {@code OPEN} is a keep-alive socket between requests (idle); anything else
 * that keeps the socket ({@code LONG} for async or a partly read request,
 * {@code UPGRADED} for HTTP/2 and WebSocket) is active.
 */
final class TrackingHandler implements Handler<NioChannel> {

	private final Handler<NioChannel> delegate;

	private final TrackingNioEndpoint endpoint;

	TrackingHandler(Handler<NioChannel> delegate, TrackingNioEndpoint endpoint) {
		this.delegate = delegate;
		this.endpoint = endpoint;
	}

	@Override
	public SocketState process(SocketWrapperBase<NioChannel> wrapper, SocketEvent event) {
		TrackedConnection connection = this.endpoint.tracked(wrapper);
		if (connection == null) {
			return this.delegate.process(wrapper, event);
		}
		if (event == SocketEvent.DISCONNECT && connection.isIdleClosePending() && !connection.tryBeginIdleClose()) {
			// A request arrived after the drain asked for the close: serve it, its
			// response says Connection: close.
			return SocketState.OPEN;
		}
		if (event == SocketEvent.OPEN_READ || event == SocketEvent.OPEN_WRITE) {
			connection.becameActive();
		}
		SocketState state = this.delegate.process(wrapper, event);
		if (state == SocketState.OPEN) {
			connection.becameIdle();
		}
		return state;
	}

	@Override
	public void release(SocketWrapperBase<NioChannel> wrapper) {
		try {
			this.delegate.release(wrapper);
		}
		finally {
			this.endpoint.untrack(wrapper);
		}
	}

	@Override
	public Object getGlobal() {
		return this.delegate.getGlobal();
	}

	@Override
	public void pause() {
		this.delegate.pause();
	}

	@Override
	public void recycle() {
		this.delegate.recycle();
	}

}
