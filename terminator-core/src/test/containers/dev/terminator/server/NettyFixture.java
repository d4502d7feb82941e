package dev.terminator.server;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import javax.net.ssl.KeyManagerFactory;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.DefaultEventExecutor;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.Http2SslContextSpec;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;

import dev.terminator.core.HttpTerminator;
import dev.terminator.netty.NettyAdapter;
import dev.terminator.reactive.ConnectionCloseHttpHandlerDecorator;
import dev.terminator.testsupport.Tls;

/**
 * A bare Reactor Netty {@link HttpServer} serving {@link TestServlet}'s endpoints through
 * a Spring {@link ReactorHttpHandlerAdapter}, wrapped by
 * {@link ConnectionCloseHttpHandlerDecorator}, and a WebSocket echo, with terminator
 * installed as the Boot glue installs it: {@link NettyAdapter#install} before the
 * handler. Event loops of its own, shut down on stop as Boot's
 * {@code ReactorResourceFactory} does.
 */
final class NettyFixture implements ContainerFixture {

	private static final Duration BOUND_TIMEOUT = Duration.ofSeconds(5);

	@Override
	public String name() {
		return "netty";
	}

	/**
	 * The ways Reactor Netty accepts differ by transport: its native one (-1, epoll on
	 * Linux, what Boot runs on there) and the JDK's NIO (0, elsewhere).
	 * @return the settings to test the accept queue with
	 */
	@Override
	public IntStream acceptorSettings() {
		return IntStream.of(-1, 0);
	}

	@Override
	public BareServer start(ServerOptions options) throws Exception {
		HttpTerminator terminator = new HttpTerminator(options.settings());
		TestServlet servlet = new TestServlet();
		LoopResources loops = LoopResources.create("netty-fixture", 1, 2, true);
		Scheduler blocking = Schedulers.newBoundedElastic(32, 1000, "netty-fixture-blocking", 60, true);
		ReactorHttpHandlerAdapter adapter = new ReactorHttpHandlerAdapter(
				new ConnectionCloseHttpHandlerDecorator(options.closingConnections(terminator))
					.apply(new TestHttpHandler(servlet, blocking)));
		HttpServer server = protocols(
				HttpServer.create().host("127.0.0.1").port(0).runOn(loops, options.acceptors() != 0), options);
		// As NettyWebServer does, whatever the shutdown mode: Reactor Netty then gives
		// Http2ConnectionHandler's graceful close no timeout.
		DefaultEventExecutor groupExecutor = new DefaultEventExecutor();
		server = server.channelGroup(new DefaultChannelGroup(groupExecutor));
		server = NettyAdapter.install(terminator, server, options.closeWebSocketsOnDrain());
		CountDownLatch bound = new CountDownLatch(1);
		server = server.doOnBound((disposable) -> {
			if (options.maxConnections() > -1) {
				disposable.channel().pipeline().addFirst(new AcceptHold(options.maxConnections()));
			}
			bound.countDown();
		});
		DisposableServer disposable = server.handle((request, response) -> {
			if (request.uri().startsWith(EchoEndpoint.PATH)) {
				return response.sendWebsocket((in, out) -> out.sendString(in.receive().asString()));
			}
			return adapter.apply(request, response);
		}).bindNow();
		// doOnBound runs just after bindNow() returns.
		if (!bound.await(BOUND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
			throw new IllegalStateException("doOnBound not called");
		}
		return new Bare(disposable, loops, blocking, groupExecutor, terminator, servlet, options.tls());
	}

	// As Spring Boot configures them: HTTP/1.1, with h2c beside it, or TLS with ALPN
	// choosing between h2 and HTTP/1.1.
	private static HttpServer protocols(HttpServer server, ServerOptions options) throws Exception {
		if (!options.tls()) {
			return options.http2() ? server.protocol(HttpProtocol.HTTP11, HttpProtocol.H2C) : server;
		}
		KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		keys.init(Tls.serverKeyStore(), Tls.KEY_STORE_PASSWORD.toCharArray());
		if (options.http2()) {
			return server.protocol(HttpProtocol.H2, HttpProtocol.HTTP11)
				.secure((spec) -> spec.sslContext(Http2SslContextSpec.forServer(keys)));
		}
		return server.secure((spec) -> spec.sslContext(Http11SslContextSpec.forServer(keys)));
	}

	/**
	 * A connection limit: the listen socket stops reading once it accepted so many, so
	 * that the kernel queues new connections.
	 */
	private static final class AcceptHold extends ChannelInboundHandlerAdapter {

		private final int max;

		private int accepted;

		AcceptHold(int max) {
			this.max = max;
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
			super.channelRead(ctx, msg);
			if (++this.accepted == this.max) {
				ctx.channel().config().setAutoRead(false);
			}
		}

	}

	private static final class Bare extends StartedServer {

		private final DisposableServer server;

		private final LoopResources loops;

		private final Scheduler blocking;

		private final DefaultEventExecutor groupExecutor;

		Bare(DisposableServer server, LoopResources loops, Scheduler blocking, DefaultEventExecutor groupExecutor,
				HttpTerminator terminator, TestServlet servlet, boolean tls) {
			super("Netty", ((InetSocketAddress) server.address()).getPort(), terminator, servlet, tls);
			this.server = server;
			this.loops = loops;
			this.blocking = blocking;
			this.groupExecutor = groupExecutor;
		}

		@Override
		void stopContainer() {
			this.server.dispose();
			this.loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
			this.blocking.dispose();
			this.groupExecutor.shutdownGracefully(0, 1, TimeUnit.SECONDS);
		}

	}

}
