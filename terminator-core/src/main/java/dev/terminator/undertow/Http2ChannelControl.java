package dev.terminator.undertow;

import java.net.SocketAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
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
 * handler: active while any of them is in flight. Undertow 2.3 has no public way to close
 * it, so the drain can only stop waiting for it once idle, and reset its streams at the
 * cut.
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

	// Every stream has a connection object of its own, but their attachments and close
	// listeners are the one shared Http2Channel's: the first stream puts the control and
	// the channel's one close listener there, later streams find it. Undertow reads all
	// streams of one channel on the channel's IO thread; under a servlet deployment this
	// runs there, before the container dispatches, but under Spring WebFlux on a worker
	// thread, where two streams of one channel may arrive at once: the channel's IO
	// thread, shared by its streams, is the lock.
	private static Http2ChannelControl of(Http2ServerConnection stream, ServerBinding binding) {
		synchronized (stream.getIoThread()) {
			return findOrRegister(stream, binding);
		}
	}

	private static Http2ChannelControl findOrRegister(Http2ServerConnection stream, ServerBinding binding) {
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
			tracked().becameActive();
		}
	}

	private synchronized void streamEnded(Http2ServerConnection stream) {
		if (this.streams.remove(stream) && this.streams.isEmpty()) {
			tracked().becameIdle();
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
			release = this.streams.isEmpty() && tracked().tryBeginIdleClose();
		}
		if (release) {
			// No public way to close it: the channel is private to each stream's
			// Http2ServerConnection, whose close() resets only its own stream, and
			// Http2Channel.sendGoAway cannot be reached from an exchange. Stop waiting
			// for it; the web server's stop closes it, without GOAWAY.
			tracked().closed();
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
		tracked().closed();
	}

	// The registry hands out the tracked connection only for this control, hence the
	// two steps; both are done before the first stream is counted.
	private TrackedConnection tracked() {
		return Objects.requireNonNull(this.tracked, "registered before its first stream");
	}

	@Override
	public String toString() {
		return "undertow h2 " + this.peer;
	}

}
