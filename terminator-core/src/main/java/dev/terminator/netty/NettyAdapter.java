package dev.terminator.netty;

import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import io.netty.channel.ChannelOption;
import reactor.netty.ChannelPipelineConfigurer;
import reactor.netty.http.server.HttpServer;

import dev.terminator.core.DrainProgress;
import dev.terminator.core.HttpTerminator;
import dev.terminator.core.ServerAdapter;
import dev.terminator.core.ServerBinding;
import dev.terminator.core.TerminationListener;
import dev.terminator.core.UntrackedConnector;
import dev.terminator.core.WebSocketCloser;

/**
 * Connects a Reactor Netty {@link HttpServer} to a {@link HttpTerminator}, through public
 * Reactor Netty and Netty API only.
 *
 * <ul>
 * <li>Every socket is tracked from its accept ({@code doOnChannelInit}) to its close,
 * HTTP/1.1 and HTTP/2, plain and TLS, including those that never send a request. A
 * handler after the TLS handler counts the bytes read on it.</li>
 * <li>Idle or active: per HTTP/1.1 request from Reactor Netty's connection states
 * ({@code childObserve}: {@code CONFIGURED} to {@code DISCONNECTING}), per HTTP/2 socket
 * from its open streams. A WebSocket is active until it closes.</li>
 * <li>The idle close runs on the socket's event loop, where requests are decoded: a
 * socket with a request in flight, or with bytes read since it turned idle, is served,
 * not closed.</li>
 * <li>The drain takes the connections in the listen socket's accept queue, then closes
 * the listen socket ({@code doOnBound}, {@code DisposableServer.dispose()}); accepted
 * connections keep being served.</li>
 * <li>HTTP/1.1 connections close after their response once it says
 * {@code Connection: close}, which {@code ConnectionCloseHttpHandlerDecorator} adds
 * during the drain.</li>
 * <li>HTTP/2: a graceful GOAWAY to every socket when the drain begins, the final GOAWAY
 * and the close once its streams have ended.</li>
 * <li>WebSockets get a close frame 1001 when the drain begins.</li>
 * <li>The cut at the timeout closes the socket from its first handler, past the TLS and
 * HTTP/2 handlers' graceful closes.</li>
 * </ul>
 *
 * <p>
 * Not covered: HTTP/3 (Reactor Netty's QUIC server); HTTP/1.1 requests pipelined behind
 * one in flight, which Reactor Netty queues where no public API sees them (the quiet
 * period covers them). Request handlers run on event loops, not on request threads: the
 * server's stop has no thread pool to wait for.
 */
public final class NettyAdapter implements ServerAdapter {

	private final OpenChannels channels = new OpenChannels();

	private final NettyListenSocket listenSocket = new NettyListenSocket();

	private final boolean closeWebSocketsOnDrain;

	private @Nullable ServerBinding binding;

	private NettyAdapter(boolean closeWebSocketsOnDrain) {
		this.closeWebSocketsOnDrain = closeWebSocketsOnDrain;
	}

	/**
	 * Hook the terminator into a Reactor Netty server, before it binds, WebSockets
	 * included. Spring Boot's glue calls this from a {@code NettyServerCustomizer}.
	 * @param terminator the terminator that drains the server
	 * @param server the server, not bound yet
	 * @return the server with terminator's hooks added
	 */
	public static HttpServer install(HttpTerminator terminator, HttpServer server) {
		return install(terminator, server, true);
	}

	/**
	 * Hook the terminator into a Reactor Netty server, before it binds.
	 * @param terminator the terminator that drains the server
	 * @param server the server, not bound yet
	 * @param closeWebSocketsOnDrain whether WebSockets get a close frame 1001 when the
	 * drain begins; if not, they hold the drain until they end, or are cut
	 * @return the server with terminator's hooks added
	 */
	public static HttpServer install(HttpTerminator terminator, HttpServer server, boolean closeWebSocketsOnDrain) {
		NettyAdapter adapter = new NettyAdapter(closeWebSocketsOnDrain);
		terminator.install(adapter);
		ServerBinding binding = Objects.requireNonNull(adapter.binding, "bound by the terminator's install");
		ChannelPipelineConfigurer tracking = (observer, channel, remoteAddress) -> new TrackedChannel(channel)
			.install(binding, adapter.channels);
		return server.option(ChannelOption.RCVBUF_ALLOCATOR, AcceptQueueDrain.acceptAllocator())
			.doOnChannelInit(tracking)
			.childObserve(new RequestObserver())
			.doOnBound(adapter.listenSocket::bound);
	}

	@Override
	public String serverName() {
		return "netty";
	}

	@Override
	public List<UntrackedConnector> install(ServerBinding binding) {
		this.binding = binding;
		binding.addListenSocket(this.listenSocket);
		binding.addListener(new Http2GoAway(this.channels));
		if (this.closeWebSocketsOnDrain) {
			binding.addListener(WebSocketCloser.onDrainStart(serverName(), new NettyWebSocketCloser(this.channels)));
		}
		return List.of();
	}

	@Override
	public String toString() {
		return "NettyAdapter";
	}

	/**
	 * Sends every HTTP/2 socket its graceful GOAWAY when the drain begins.
	 */
	private record Http2GoAway(OpenChannels channels) implements TerminationListener {

		@Override
		public void drainStarted(DrainProgress progress) {
			this.channels.forEachOnItsLoop(TrackedChannel::drainStarted);
		}

	}

}
