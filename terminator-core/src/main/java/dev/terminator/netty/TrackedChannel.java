package dev.terminator.netty;

import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.util.AttributeKey;
import org.jspecify.annotations.Nullable;
import reactor.netty.NettyPipeline;
import reactor.netty.channel.ChannelOperations;

import dev.terminator.core.ConnectionControl;
import dev.terminator.core.ServerBinding;
import dev.terminator.core.TrackedConnection;

/**
 * One accepted socket of a Reactor Netty server, HTTP/1.1 or HTTP/2, and the handler that
 * counts the bytes read on it: put right after the TLS handler (the bytes of requests,
 * not of the handshake), or first without TLS.
 *
 * <p>
 * Every field but {@link #tracked} is read and written on the socket's event loop only,
 * where Netty also decodes its requests: that serialises the idle close with decoding.
 */
final class TrackedChannel extends ChannelInboundHandlerAdapter implements ConnectionControl {

	static final String HANDLER_NAME = "terminator.tracker";

	private static final AttributeKey<TrackedChannel> ATTRIBUTE = AttributeKey.valueOf(TrackedChannel.class,
			HANDLER_NAME);

	private final Channel channel;

	private volatile @Nullable TrackedConnection tracked;

	private long bytesIn;

	private long bytesAtIdle;

	private int openStreams;

	private long streamsOpened;

	private long streamsAtIdle;

	private boolean goingAway;

	private boolean finalGoAwaySent;

	TrackedChannel(Channel channel) {
		this.channel = channel;
	}

	Channel channel() {
		return this.channel;
	}

	/**
	 * The tracked socket of a channel: the socket itself, or the socket an HTTP/2 stream
	 * belongs to.
	 * @param channel the channel
	 * @return the tracked socket, or {@code null} if it is not one the adapter saw
	 */
	static @Nullable TrackedChannel of(Channel channel) {
		// An attribute rather than the handler looked up by name along the pipeline: this
		// runs twice per request. hasAttr first, since attr creates what it does not
		// find.
		return channel.hasAttr(ATTRIBUTE) ? channel.attr(ATTRIBUTE).get() : null;
	}

	/**
	 * Put the handler into the socket's pipeline and register the socket with the drain.
	 * Runs on the socket's event loop, when Reactor Netty initialises it.
	 * @param binding the adapter's binding
	 */
	void install(ServerBinding binding, OpenChannels open) {
		this.channel.attr(ATTRIBUTE).set(this);
		ChannelPipeline pipeline = this.channel.pipeline();
		if (pipeline.get(NettyPipeline.SslHandler) != null) {
			pipeline.addAfter(NettyPipeline.SslHandler, HANDLER_NAME, this);
		}
		else {
			pipeline.addFirst(HANDLER_NAME, this);
		}
		TrackedConnection connection = binding.register(this);
		this.tracked = connection;
		open.add(this);
		this.channel.closeFuture().addListener((future) -> {
			open.remove(this);
			connection.closed();
		});
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
		if (msg instanceof ByteBuf buffer) {
			this.bytesIn += buffer.readableBytes();
		}
		else if (msg instanceof ByteBufHolder holder) {
			this.bytesIn += holder.content().readableBytes();
		}
		super.channelRead(ctx, msg);
	}

	/**
	 * An HTTP/1.1 request began: its headers are decoded, its handler about to run. Also
	 * when the socket is upgraded to WebSocket: active until it closes, as on the other
	 * servers, so that the drain never closes it as idle (without a close frame).
	 */
	void requestStarted() {
		tracked().becameActive();
	}

	/**
	 * An HTTP/1.1 request's exchange ended, its response written.
	 * @param closing whether Reactor Netty closes the socket after it (the response said
	 * {@code Connection: close}, or the request did): then it is a connection that
	 * completed, never an idle one
	 */
	void requestEnded(boolean closing) {
		if (closing) {
			return;
		}
		this.bytesAtIdle = this.bytesIn;
		tracked().becameIdle();
	}

	/**
	 * An HTTP/2 stream opened on this socket.
	 * @param stream the stream's channel
	 */
	void streamOpened(Channel stream) {
		this.streamsOpened++;
		if (this.openStreams++ == 0) {
			tracked().becameActive();
		}
		stream.closeFuture().addListener((future) -> streamClosed());
	}

	private void streamClosed() {
		if (--this.openStreams > 0) {
			return;
		}
		if (this.goingAway) {
			// The drain began: the last stream ended, the socket has nothing left to do.
			goAwayAndClose();
			return;
		}
		this.streamsAtIdle = this.streamsOpened;
		tracked().becameIdle();
	}

	/**
	 * The drain began: an HTTP/2 socket is told, with a GOAWAY whose last stream id is
	 * the highest possible, so that streams the client has already sent are still served;
	 * a final GOAWAY naming the last stream follows, and the close, once its streams have
	 * ended, at once for an idle socket. Runs on the event loop.
	 */
	void drainStarted() {
		if (!isHttp2() || this.goingAway) {
			return;
		}
		this.goingAway = true;
		this.channel
			.writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR).setExtraStreamIds(Integer.MAX_VALUE));
		if (this.openStreams == 0) {
			// Idle: both GOAWAYs at once, without waiting for the quiet period (a client
			// that opens a stream now is refused, and may retry it elsewhere).
			goAwayAndClose();
		}
	}

	@Override
	public void closeIfIdle() {
		onItsLoop(this::closeNowIfIdle);
	}

	private void closeNowIfIdle() {
		if (!this.channel.isActive()) {
			return;
		}
		if (isHttp2()) {
			// Streams opened, not bytes read: clients also send control frames (SETTINGS
			// and PING acknowledgements, WINDOW_UPDATE).
			if (this.openStreams == 0 && this.streamsOpened == this.streamsAtIdle && tracked().tryBeginIdleClose()) {
				goAwayAndClose();
			}
			return;
		}
		if (ChannelOperations.get(this.channel) != null) {
			// A request is being served: its end makes the socket idle again.
			return;
		}
		if (this.bytesIn != this.bytesAtIdle) {
			// Part of a request, its headers not decoded yet: serve it, don't cut it.
			tracked().becameActive();
			return;
		}
		if (tracked().tryBeginIdleClose()) {
			// A request still in the kernel's receive buffer, not read by the event loop
			// yet, is lost with the socket: the window every server has when it closes
			// a keep-alive connection. Over TLS, the close sends close_notify.
			this.channel.close();
		}
	}

	// The final GOAWAY (the last stream the codec created), then the close:
	// Http2ConnectionHandler sends no GOAWAY of its own after one was sent, and closes
	// once no stream is left.
	private void goAwayAndClose() {
		if (this.finalGoAwaySent) {
			return;
		}
		this.finalGoAwaySent = true;
		this.channel.writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR))
			.addListener(ChannelFutureListener.CLOSE);
	}

	@Override
	public void forceClose() {
		// From the first handler's context straight to the transport: past the TLS
		// handler's close_notify and Http2ConnectionHandler's wait for open streams
		// (without a timeout when Reactor Netty enables its graceful shutdown).
		onItsLoop(() -> {
			ChannelHandlerContext first = this.channel.pipeline().firstContext();
			if (first != null) {
				first.close();
			}
			else {
				this.channel.close();
			}
		});
	}

	/**
	 * Run a task on the socket's event loop, where its requests are decoded.
	 * @param task the task
	 */
	void onItsLoop(Runnable task) {
		try {
			this.channel.eventLoop().execute(task);
		}
		catch (RejectedExecutionException ex) {
			// The event loops are shutting down, and close every socket as they do.
		}
	}

	private boolean isHttp2() {
		return this.channel.pipeline().get(Http2FrameCodec.class) != null;
	}

	private TrackedConnection tracked() {
		return Objects.requireNonNull(this.tracked, "registered when the socket was initialised");
	}

	@Override
	public String toString() {
		return "netty " + this.channel;
	}

}
