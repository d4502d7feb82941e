package dev.terminator.netty;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Put first in a listen socket's pipeline, where the connections it accepts arrive as
 * channels not yet registered: lets every connection through until the marker, a
 * connection terminator opened to the listen socket itself, then closes the listen socket
 * at once. The accept queue is first in, first out: every connection queued before the
 * marker has been accepted, and handed to the server, by then.
 *
 * <p>
 * Netty's public API has no way to accept synchronously on the epoll transport (the epoll
 * unsafe's read is package-private) and reports no empty accept: the marker is what says
 * the queue is drained, on every transport alike.
 */
final class AcceptQueueDrain extends ChannelInboundHandlerAdapter {

	static final String HANDLER_NAME = "terminator.acceptQueueDrain";

	private final InetSocketAddress marker;

	private final CompletableFuture<Integer> drained = new CompletableFuture<>();

	// On the listen socket's event loop only.
	private int served;

	AcceptQueueDrain(InetSocketAddress marker) {
		this.marker = marker;
	}

	/**
	 * Completes with the connections handed to the server, once the marker came and the
	 * listen socket closed.
	 * @return the connections taken from the accept queue
	 */
	CompletableFuture<Integer> drained() {
		return this.drained;
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
		if (msg instanceof Channel child && isMarker(child.remoteAddress())) {
			// Not registered yet: what ServerBootstrap does with a child it cannot
			// register. Never initialised, so never tracked.
			child.unsafe().closeForcibly();
			ctx.channel().close();
			this.drained.complete(this.served);
			return;
		}
		this.served++;
		ctx.fireChannelRead(msg);
		// A connection limit further on may have stopped reading: the queue is drained
		// all the same, the marker is behind it.
		ctx.channel().config().setAutoRead(true);
	}

	private boolean isMarker(SocketAddress remote) {
		if (!(remote instanceof InetSocketAddress address) || address.getPort() != this.marker.getPort()) {
			return false;
		}
		return address.getAddress().equals(this.marker.getAddress())
				|| (address.getAddress().isLoopbackAddress() && this.marker.getAddress().isLoopbackAddress());
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		this.drained.completeExceptionally(new IllegalStateException("Listen socket closed before the marker"));
		super.channelInactive(ctx);
	}

}
