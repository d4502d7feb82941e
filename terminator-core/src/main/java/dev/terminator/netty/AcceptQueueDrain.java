package dev.terminator.netty;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.MaxMessagesRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.ServerChannelRecvByteBufAllocator;

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

	private static final long FULL_READ_GRACE_MILLIS = 10;

	/**
	 * The listen socket's allocator, set when the server is built: Netty's own for server
	 * channels (at most 16 connections per read), made to read on until {@code accept()}
	 * finds the queue empty, so that a read ending below its most messages says the queue
	 * is empty. Netty's epoll transport otherwise ends each read of a listen socket after
	 * one connection, from Netty 4.2 on (level-triggered, its read takes the descriptor
	 * {@code accept()} returned for a byte count that says no more data is to come).
	 * @return a new allocator
	 */
	static RecvByteBufAllocator acceptAllocator() {
		return new ServerChannelRecvByteBufAllocator().respectMaybeMoreData(false).maxMessagesPerRead(16);
	}

	private final InetSocketAddress marker;

	private final CompletableFuture<Integer> drained = new CompletableFuture<>();

	// On the listen socket's event loop only.
	private int served;

	private int acceptedThisRead;

	private boolean markerSeen;

	private boolean closed;

	private long reads;

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
		// The marker too: Netty counts it towards the read's most messages.
		this.acceptedThisRead++;
		if (msg instanceof Channel child && isMarker(child.remoteAddress())) {
			// Not registered yet: what ServerBootstrap does with a child it cannot
			// register. Never initialised, so never tracked.
			child.unsafe().closeForcibly();
			this.markerSeen = true;
			return;
		}
		this.served++;
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
		// With acceptAllocator(), a read ends below its most messages only when accept()
		// found the queue empty.
		boolean queueEmpty = this.acceptedThisRead < maxMessagesPerRead(ctx.channel());
		this.acceptedThisRead = 0;
		this.reads++;
		if (this.markerSeen) {
			if (queueEmpty) {
				close(ctx);
				return;
			}
			// More may be queued, and Netty reads again; if the queue held exactly the
			// most messages, no read comes: closed then without one.
			long readsSoFar = this.reads;
			ctx.executor().schedule(() -> {
				if (this.reads == readsSoFar) {
					close(ctx);
				}
			}, FULL_READ_GRACE_MILLIS, TimeUnit.MILLISECONDS);
		}
		ctx.fireChannelReadComplete();
	}

	private void close(ChannelHandlerContext ctx) {
		if (this.closed) {
			return;
		}
		this.closed = true;
		ctx.channel().close();
		registered();
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
