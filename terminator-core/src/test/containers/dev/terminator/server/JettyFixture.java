package dev.terminator.server;

import java.nio.channels.SelectableChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import dev.terminator.core.HttpTerminator;
import dev.terminator.core.UntrackedConnector;
import dev.terminator.core.WebSocketCloser;
import dev.terminator.jetty.JettyAdapter;
import dev.terminator.jetty.JettyWebSocketCloser;
import dev.terminator.servlet.ConnectionCloseFilter;
import dev.terminator.testsupport.Tls;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * A bare Jetty {@link Server} with one {@link ServerConnector} and a servlet context of
 * the generation under test ({@link JettyServletContext}), installed as the Boot glue
 * installs it.
 */
final class JettyFixture implements ContainerFixture {

	@Override
	public String name() {
		return "jetty";
	}

	@Override
	public IntStream acceptorSettings() {
		return IntStream.of(1, 0);
	}

	@Override
	public BareServer start(ServerOptions options) throws Exception {
		HttpTerminator terminator = new HttpTerminator(options.settings());
		Server server = new Server();
		ServerConnector connector = new ServerConnector(server, options.acceptors(), -1, connectionFactories(options));
		connector.setHost("127.0.0.1");
		connector.setPort(0);
		server.addConnector(connector);
		if (options.maxConnections() > -1) {
			connector.addBean(new AcceptHold(connector, options.maxConnections()));
		}
		TestServlet servlet = new TestServlet();
		JettyServletContext context = JettyServletContext.create(servlet,
				new ConnectionCloseFilter(options.closingConnections(terminator)), EchoEndpoint.class);
		server.setHandler(context.handler());
		install(terminator, server, context, options);
		server.start();
		return new Bare(server, connector.getLocalPort(), terminator, servlet, options.tls());
	}

	// What JettyServerInstaller and the WebSocket drain configuration do in a Boot
	// application.
	private static void install(HttpTerminator terminator, Server server, JettyServletContext context,
			ServerOptions options) {
		List<UntrackedConnector> untracked = terminator.install(new JettyAdapter(server));
		if (!untracked.isEmpty()) {
			throw new IllegalStateException("Not tracked: " + untracked);
		}
		if (options.closeWebSocketsOnDrain()) {
			terminator
				.addListener(WebSocketCloser.onDrainStart("jetty", new JettyWebSocketCloser(context.servletContext())));
		}
	}

	// As Spring Boot builds them: HTTP/1.1, with h2c beside it, or TLS with ALPN choosing
	// between h2 and HTTP/1.1.
	private static ConnectionFactory[] connectionFactories(ServerOptions options) {
		HttpConfiguration configuration = new HttpConfiguration();
		List<ConnectionFactory> factories = new ArrayList<>();
		HttpConnectionFactory http1 = new HttpConnectionFactory(configuration);
		if (!options.tls()) {
			factories.add(http1);
			if (options.http2()) {
				factories.add(new HTTP2CServerConnectionFactory(configuration));
			}
			return factories.toArray(ConnectionFactory[]::new);
		}
		configuration.addCustomizer(new SecureRequestCustomizer());
		SslContextFactory.Server tls = new SslContextFactory.Server();
		tls.setKeyStore(Tls.serverKeyStore());
		tls.setKeyStorePassword(Tls.KEY_STORE_PASSWORD);
		tls.setKeyManagerPassword(Tls.KEY_STORE_PASSWORD);
		if (options.http2()) {
			ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
			alpn.setDefaultProtocol("http/1.1");
			factories.add(new SslConnectionFactory(tls, alpn.getProtocol()));
			factories.add(alpn);
			factories.add(new HTTP2ServerConnectionFactory(configuration));
		}
		else {
			factories.add(new SslConnectionFactory(tls, http1.getProtocol()));
		}
		factories.add(http1);
		return factories.toArray(ConnectionFactory[]::new);
	}

	/**
	 * What Jetty's {@code NetworkConnectionLimit} (Spring Boot's
	 * {@code server.jetty.max-connections}) does to the connector at its limit: it stops
	 * accepting, so that the kernel queues new connections. Unlike it, it never lets the
	 * connector accept again, nor closes connections accepted over the limit, which the
	 * limit also does to those the drain takes from the queue.
	 */
	private static final class AcceptHold implements SelectorManager.AcceptListener {

		private final ServerConnector connector;

		private final int max;

		private final AtomicInteger accepted = new AtomicInteger();

		AcceptHold(ServerConnector connector, int max) {
			this.connector = connector;
			this.max = max;
		}

		@Override
		public void onAccepting(SelectableChannel channel) {
			if (this.accepted.incrementAndGet() >= this.max) {
				this.connector.setAccepting(false);
			}
		}

	}

	private static final class Bare extends StartedServer {

		private final Server server;

		Bare(Server server, int port, HttpTerminator terminator, TestServlet servlet, boolean tls) {
			super("Jetty", port, terminator, servlet, tls);
			this.server = server;
		}

		@Override
		void stopContainer() throws Exception {
			this.server.stop();
		}

	}

}
