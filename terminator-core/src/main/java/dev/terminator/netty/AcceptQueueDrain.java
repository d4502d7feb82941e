package dev.terminator.netty;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.MaxMessagesRecvByteBufAllocator;

/**
 * Put first in a listen socket's pipeline, where the connections it accepts arrive as
 * channels not yet registered: lets every connection through until the marker, a
 * connection terminator opened to the listen socket itself, and closes the listen socket
 * at the end of the first read from then on that stopped below Netty's most messages per
 * read. The accept queue is first in, first out: every connection queued before the
 * marker has been accepted, and handed to the server, by then. The drain goes on once
 * each of them is registered, so tracked.
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

	private int acceptedThisRead;

	private boolean markerSeen;

	// Connections handed to the server whose registration on their event loop is still
	// to come; the last of them completes the drain.
	private final AtomicInteger unregistered = new AtomicInteger(1);

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
			this.markerSeen = true;
			return;
		}
		this.served++;
		this.acceptedThisRead++;
		ctx.fireChannelRead(msg);
		if (msg instanceof Channel child) {
			afterRegistration(child);
		}
		// A connection limit further on may have stopped reading: the queue is drained
		// all the same, the marker is behind it.
		ctx.channel().config().setAutoRead(true);
	}

	@Override
	public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
		boolean queueEmpty = this.acceptedThisRead < maxMessagesPerRead(ctx.channel());
		this.acceptedThisRead = 0;
		// A read that stopped at its most messages leaves more queued: Netty reads again.
		if (this.markerSeen && queueEmpty) {
			ctx.channel().close();
			registered();
			return;
		}
		ctx.fireChannelReadComplete();
	}

	// The server registers each connection on its own event loop with a task
	// (ServerBootstrap's
	// acceptor): a task queued after it runs once the connection is tracked. Until then
	// the
	// drain would see no connection and could end, and the loops stop, with it still
	// queued.
	private void afterRegistration(Channel child) {
		this.unregistered.incrementAndGet();
		try {
			child.eventLoop().execute(this::registered);
		}
		catch (IllegalStateException | RejectedExecutionException ex) {
			// Not registered (the server closed it) or its loop is stopping: nothing to
			// wait for.
			registered();
		}
	}

	private void registered() {
		if (this.unregistered.decrementAndGet() == 0) {
			this.drained.complete(this.served);
		}
	}

	private static int maxMessagesPerRead(Channel channel) {
		if (channel.config().getRecvByteBufAllocator() instanceof MaxMessagesRecvByteBufAllocator allocator) {
			return allocator.maxMessagesPerRead();
		}
		return 1;
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
		if (!this.markerSeen) {
			this.drained.completeExceptionally(new IllegalStateException("Listen socket closed before the marker"));
		}
		super.channelInactive(ctx);
	}

}
