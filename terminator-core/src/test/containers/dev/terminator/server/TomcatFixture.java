package dev.terminator.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import dev.terminator.core.HttpTerminator;
import dev.terminator.core.UntrackedConnector;
import dev.terminator.core.WebSocketCloser;
import dev.terminator.servlet.ConnectionCloseFilter;
import dev.terminator.testsupport.Tls;
import dev.terminator.tomcat.TomcatAdapter;
import dev.terminator.tomcat.TomcatWebSocketCloser;
import dev.terminator.tomcat.TrackingHttp11NioProtocol;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.coyote.http2.Http2Protocol;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.apache.tomcat.websocket.server.WsSci;

/**
 * A bare {@link Tomcat} with one {@link Connector} on {@link TrackingHttp11NioProtocol},
 * installed as the Boot glue installs it.
 */
final class TomcatFixture implements ContainerFixture {

	@Override
	public String name() {
		return "tomcat";
	}

	@Override
	public BareServer start(ServerOptions options) throws Exception {
		HttpTerminator terminator = new HttpTerminator(options.settings());
		Tomcat tomcat = new Tomcat();
		Path baseDir = Files.createTempDirectory("tomcat");
		tomcat.setBaseDir(baseDir.toString());
		Connector connector = new Connector(TrackingHttp11NioProtocol.class.getName());
		connector.setPort(0);
		connector.setProperty("address", "127.0.0.1");
		// As Spring Boot sets it: bound on start, so that the drain can close the listen
		// socket (Tomcat closes it gracefully only when it was bound on start).
		connector.setProperty("bindOnInit", "false");
		if (options.maxConnections() > -1) {
			connector.setProperty("maxConnections", Integer.toString(options.maxConnections()));
		}
		if (options.http2()) {
			connector.addUpgradeProtocol(new Http2Protocol());
		}
		if (options.tls()) {
			configureTls(connector);
		}
		tomcat.setConnector(connector);
		Context context = tomcat.addContext("", null);
		TestServlet servlet = new TestServlet();
		Tomcat.addServlet(context, "test", servlet);
		context.addServletMappingDecoded("/", "test");
		context.addServletContainerInitializer(new WsSci(), Set.of(EchoEndpoint.class));
		install(terminator, connector, context, options);
		tomcat.start();
		return new Server(tomcat, baseDir, connector, terminator, servlet, options.tls());
	}

	// What TomcatConnectorInstaller, the Tomcat server factory customizer and the
	// WebSocket drain configuration do in a Boot application.
	private static void install(HttpTerminator terminator, Connector connector, Context context,
			ServerOptions options) {
		List<UntrackedConnector> untracked = terminator.install(new TomcatAdapter(connector));
		if (!untracked.isEmpty()) {
			throw new IllegalStateException("Not tracked: " + untracked);
		}
		TomcatAdapter.releaseServletsOnStop(context);
		FilterDef filter = new FilterDef();
		filter.setFilterName("connectionClose");
		filter.setFilter(new ConnectionCloseFilter(options.closingConnections(terminator)));
		filter.setAsyncSupported("true");
		context.addFilterDef(filter);
		FilterMap mapping = new FilterMap();
		mapping.setFilterName("connectionClose");
		mapping.addURLPattern("/*");
		mapping.setDispatcher("REQUEST");
		mapping.setDispatcher("ASYNC");
		mapping.setDispatcher("ERROR");
		context.addFilterMapBefore(mapping);
		if (options.closeWebSocketsOnDrain()) {
			terminator.addListener(
					WebSocketCloser.onDrainStart("tomcat", new TomcatWebSocketCloser(context.getServletContext())));
		}
	}

	private static void configureTls(Connector connector) {
		connector.setSecure(true);
		connector.setScheme("https");
		connector.setProperty("SSLEnabled", "true");
		SSLHostConfig tls = new SSLHostConfig();
		SSLHostConfigCertificate certificate = new SSLHostConfigCertificate(tls, SSLHostConfigCertificate.Type.RSA);
		certificate.setCertificateKeystore(Tls.serverKeyStore());
		certificate.setCertificateKeyAlias(Tls.KEY_ALIAS);
		certificate.setCertificateKeystorePassword(Tls.KEY_STORE_PASSWORD);
		certificate.setCertificateKeyPassword(Tls.KEY_STORE_PASSWORD);
		tls.addCertificate(certificate);
		connector.addSslHostConfig(tls);
	}

	private static final class Server extends StartedServer {

		private final Tomcat tomcat;

		private final Path baseDir;

		// The port is read once started: the drain closes the listen socket.
		Server(Tomcat tomcat, Path baseDir, Connector connector, HttpTerminator terminator, TestServlet servlet,
				boolean tls) {
			super("Tomcat", connector.getLocalPort(), terminator, servlet, tls);
			this.tomcat = tomcat;
			this.baseDir = baseDir;
		}

		@Override
		void stopContainer() throws Exception {
			this.tomcat.stop();
			this.tomcat.destroy();
			delete(this.baseDir);
		}

		private static void delete(Path directory) {
			try (Stream<Path> paths = Files.walk(directory)) {
				for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
					Files.delete(path);
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not delete Tomcat's base directory " + directory, ex);
			}
		}

	}

}
