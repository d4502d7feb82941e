package dev.terminator.undertow;

import java.net.SocketAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;

import dev.terminator.core.ConnectionControl;
import dev.terminator.core.ServerBinding;
import dev.terminator.core.TrackedConnection;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http2.Http2ServerConnection;
import io.undertow.util.AttachmentKey;
import org.jspecify.annotations.Nullable;
import org.xnio.IoUtils;
import org.xnio.XnioIoThread;

/**
 * One Undertow HTTP/2 connection (h2 or h2c), tracked through the streams that reach the
 * handler.
 *
 * <p>
 * Undertow gives every stream an {@link Http2ServerConnection} of its own, but their
 * attachments and close listeners are those of the one shared {@code Http2Channel}. So
 * the first stream puts this object on the channel as an attachment and adds the
 * channel's one close listener, and later streams find it there. The connection is active
 * while any of its streams is in flight.
 *
 * <p>
 * Undertow 2.3 has no public way to close an HTTP/2 connection, gracefully or not: the
 * channel is private to each {@code Http2ServerConnection}, whose {@code close()} only
 * resets its own stream, and {@code Http2Channel.sendGoAway} cannot be reached from an
 * exchange. So the drain waits for streams in flight, but then can only stop waiting: an
 * idle connection is counted as closed at once and left open, without GOAWAY, until the
 * web server stops. At the drain timeout, the streams still in flight are reset
 * (RST_STREAM CANCEL).
 */
final class Http2ChannelControl implements ConnectionControl {

	private static final AttachmentKey<Http2ChannelControl> KEY = AttachmentKey.create(Http2ChannelControl.class);

	// The channel's, not a stream's: holding a stream's connection object would keep its
	// exchange alive.
	private final XnioIoThread ioThread;

	private final SocketAddress peer;

	private volatile @Nullable TrackedConnection tracked;

	// Guarded by this: the streams in flight, each with its own connection object.
	private final Set<Http2ServerConnection> streams = new HashSet<>();

	private Http2ChannelControl(Http2ServerConnection firstStream) {
		this.ioThread = firstStream.getIoThread();
		this.peer = firstStream.getPeerAddress();
	}

	/**
	 * Count the exchange's stream on its HTTP/2 connection until the exchange completes.
	 * @param exchange an exchange on an HTTP/2 stream
	 * @param stream the stream's connection object
	 * @param binding where to register the connection on its first stream
	 */
	static void track(HttpServerExchange exchange, Http2ServerConnection stream, ServerBinding binding) {
		Http2ChannelControl control = of(stream, binding);
		control.streamStarted(stream);
		exchange.addExchangeCompleteListener((completed, nextListener) -> {
			try {
				nextListener.proceed();
			}
			finally {
				control.streamEnded(stream);
			}
		});
	}

	// Undertow reads all streams of one channel on the channel's IO thread, where this
	// runs (before the servlet container dispatches): the attachment and the close
	// listener are in place before a second stream looks.
	private static Http2ChannelControl of(Http2ServerConnection stream, ServerBinding binding) {
		Http2ChannelControl control = stream.getAttachment(KEY);
		if (control == null) {
			control = new Http2ChannelControl(stream);
			TrackedConnection tracked = binding.register(control);
			control.tracked = tracked;
			stream.putAttachment(KEY, control);
			stream.addCloseListener((closed) -> tracked.closed());
			if (!stream.isOpen()) {
				tracked.closed();
			}
		}
		return control;
	}

	private synchronized void streamStarted(Http2ServerConnection stream) {
		if (this.streams.add(stream) && this.streams.size() == 1) {
			this.tracked.becameActive();
		}
	}

	private synchronized void streamEnded(Http2ServerConnection stream) {
		if (this.streams.remove(stream) && this.streams.isEmpty()) {
			this.tracked.becameIdle();
		}
	}

	@Override
	public void closeIfIdle() {
		try {
			// On the IO thread, serialised with the start of new streams.
			this.ioThread.execute(this::releaseIfIdle);
		}
		catch (RejectedExecutionException ex) {
			// The worker is stopping and closes the connection itself.
		}
	}

	private void releaseIfIdle() {
		boolean release;
		synchronized (this) {
			release = this.streams.isEmpty() && this.tracked.tryBeginIdleClose();
		}
		if (release) {
			// Cannot be closed through public API: stop waiting for it; the web server's
			// stop closes it.
			this.tracked.closed();
		}
	}

	@Override
	public void forceClose() {
		List<Http2ServerConnection> inFlight;
		synchronized (this) {
			inFlight = List.copyOf(this.streams);
		}
		// Resets each stream (RST_STREAM CANCEL); the connection itself cannot be closed
		// through public API.
		inFlight.forEach(IoUtils::safeClose);
		this.tracked.closed();
	}

	@Override
	public String toString() {
		return "undertow h2 " + this.peer;
	}

}
