package dev.terminator.reactive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import dev.terminator.testsupport.ServerAddress;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import reactor.netty.DisposableServer;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;

import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.http.server.reactive.TomcatHttpHandlerAdapter;

/**
 * A bare server on loopback, port 0, running a Spring {@link HttpHandler} through
 * Spring's own adapter for it, without any terminator adapter: what WebFlux runs on.
 */
abstract class ReactiveServer implements ServerAddress, AutoCloseable {

	@Override
	public boolean isTls() {
		return false;
	}

	/**
	 * The servers the WebFlux pieces are tested on.
	 */
	enum Kind {

		/** Reactor Netty, HTTP/1.1 and h2c with prior knowledge. */
		REACTOR_NETTY {
			@Override
			ReactiveServer start(HttpHandler handler) {
				DisposableServer server = HttpServer.create()
					.host("127.0.0.1")
					.port(0)
					.protocol(HttpProtocol.HTTP11, HttpProtocol.H2C)
					.handle(new ReactorHttpHandlerAdapter(handler))
					.bindNow();
				return new ReactiveServer() {

					@Override
					public int port() {
						return server.port();
					}

					@Override
					public void close() {
						server.disposeNow();
					}

				};
			}
		},

		/**
		 * Tomcat, Spring's servlet adapter on a servlet of its own, as Spring Boot runs
		 * it.
		 */
		TOMCAT {
			@Override
			ReactiveServer start(HttpHandler handler) throws Exception {
				Tomcat tomcat = new Tomcat();
				Path baseDir = Files.createTempDirectory("tomcat");
				tomcat.setBaseDir(baseDir.toString());
				Connector connector = new Connector();
				connector.setPort(0);
				connector.setProperty("address", "127.0.0.1");
				tomcat.setConnector(connector);
				Context context = tomcat.addContext("", null);
				Wrapper servlet = Tomcat.addServlet(context, "httpHandler", new TomcatHttpHandlerAdapter(handler));
				servlet.setAsyncSupported(true);
				context.addServletMappingDecoded("/", "httpHandler");
				tomcat.start();
				return new ReactiveServer() {

					@Override
					public int port() {
						return connector.getLocalPort();
					}

					@Override
					public void close() throws Exception {
						tomcat.stop();
						tomcat.destroy();
						delete(baseDir);
					}

				};
			}
		};

		abstract ReactiveServer start(HttpHandler handler) throws Exception;

	}

	private static void delete(Path directory) {
		try (Stream<Path> paths = Files.walk(directory)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(path);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
