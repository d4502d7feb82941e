package dev.terminator.autoconfigure;

import java.util.function.Consumer;

import dev.terminator.core.HttpTerminator;
import dev.terminator.netty.NettyAdapter;
import dev.terminator.reactive.ConnectionCloseHttpHandlerDecorator;
import dev.terminator.reactive.StreamEndingHttpHandlerDecorator;
import dev.terminator.tomcat.TomcatAdapter;
import jakarta.servlet.ServletContext;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.webflux.autoconfigure.WebHttpHandlerBuilderCustomizer;
import org.springframework.boot.jetty.reactive.JettyReactiveWebServerFactory;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.tomcat.reactive.TomcatReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the shared {@link ReactiveServerTrackingConfiguration} needs of Spring Boot 4's
 * reactive web server factories: their class names, for its conditions, and the
 * customizers that hook the terminator into each.
 */
@Configuration(proxyBeanMethods = false)
class ReactiveServerFactories {

	static final String NETTY = "org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory";

	static final String TOMCAT = "org.springframework.boot.tomcat.reactive.TomcatReactiveWebServerFactory";

	static final String JETTY = "org.springframework.boot.jetty.reactive.JettyReactiveWebServerFactory";

	// Only the factory the application's context creates gets it: a management server on
	// a port of its own is built by a child context from its own customizer beans.
	static WebServerFactoryCustomizer<NettyReactiveWebServerFactory> netty(HttpTerminator terminator,
			boolean closeWebSocketsOnDrain) {
		return NettyCustomizer.create(terminator, closeWebSocketsOnDrain);
	}

	static WebServerFactoryCustomizer<TomcatReactiveWebServerFactory> tomcat(TomcatConnectorInstaller connectors,
			Consumer<ServletContext> servletContext) {
		return TomcatCustomizer.create(connectors, servletContext);
	}

	// Unordered, so last: its server customizer then runs after those the application
	// adds, once the connectors are in place.
	static WebServerFactoryCustomizer<JettyReactiveWebServerFactory> jetty(JettyServerInstaller servers,
			Consumer<ServletContext> servletContext) {
		return JettyCustomizer.create(servers, servletContext);
	}

	/**
	 * The WebFlux decorators of the application's own {@code HttpHandler}, the one Boot's
	 * auto-configuration builds: {@code Connection: close} on HTTP/1.x responses once the
	 * drain is on, and streaming responses ended at {@code terminator.async.end-after}.
	 * Not {@code HttpHandlerDecoratorFactory} beans: a management server's child context
	 * builds its handler from its parent's beans too, and its responses are not the
	 * drain's.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(WebHttpHandlerBuilderCustomizer.class)
	static class HttpHandlerDecoratorConfiguration {

		@Bean
		WebHttpHandlerBuilderCustomizer terminatorConnectionCloseDecorator(HttpTerminator terminator) {
			ConnectionCloseHttpHandlerDecorator decorator = new ConnectionCloseHttpHandlerDecorator(
					terminator::isClosingConnections);
			return (builder) -> builder.httpHandlerDecorator(decorator);
		}

		@Bean
		WebHttpHandlerBuilderCustomizer terminatorStreamEndingDecorator(HttpTerminator terminator,
				TerminatorProperties properties) {
			StreamEndingHttpHandlerDecorator decorator = new StreamEndingHttpHandlerDecorator(terminator,
					properties.getAsync().getEndAfter());
			return (builder) -> builder.httpHandlerDecorator(decorator);
		}

	}

	// Each server's customizer is built in a class of its own, loaded only once that
	// server is known to be there: Spring introspects every method of this configuration
	// class, the lambdas' too, and one that takes a server's factory fails on a class
	// path without that server.
	private static final class NettyCustomizer {

		static WebServerFactoryCustomizer<NettyReactiveWebServerFactory> create(HttpTerminator terminator,
				boolean closeWebSocketsOnDrain) {
			return (factory) -> factory
				.addServerCustomizers((server) -> NettyAdapter.install(terminator, server, closeWebSocketsOnDrain));
		}

	}

	private static final class TomcatCustomizer {

		static WebServerFactoryCustomizer<TomcatReactiveWebServerFactory> create(TomcatConnectorInstaller connectors,
				Consumer<ServletContext> servletContext) {
			return new FirstServerFactoryCustomizer<>(TomcatReactiveWebServerFactory.class, (factory) -> {
				factory.setProtocol(connectors.protocol());
				factory.addConnectorCustomizers(connectors::install);
				factory.addContextCustomizers(TomcatAdapter::releaseServletsOnStop);
				factory.addContextCustomizers((context) -> servletContext.accept(context.getServletContext()));
			});
		}

	}

	private static final class JettyCustomizer {

		static WebServerFactoryCustomizer<JettyReactiveWebServerFactory> create(JettyServerInstaller servers,
				Consumer<ServletContext> servletContext) {
			return (factory) -> factory.addServerCustomizers((server) -> {
				servers.install(server);
				ServletContextHandler handler = server.getDescendant(ServletContextHandler.class);
				if (handler != null) {
					servletContext.accept(handler.getServletContext());
				}
			});
		}

	}

}
