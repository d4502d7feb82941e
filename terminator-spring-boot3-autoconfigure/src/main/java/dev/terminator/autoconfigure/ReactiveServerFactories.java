package dev.terminator.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import dev.terminator.core.HttpTerminator;
import dev.terminator.netty.NettyAdapter;
import dev.terminator.reactive.ConnectionCloseHttpHandlerDecorator;
import dev.terminator.reactive.StreamEndingHttpHandlerDecorator;
import dev.terminator.tomcat.TomcatAdapter;
import dev.terminator.undertow.ConnectionTrackingHttpHandlerDecorator;
import dev.terminator.undertow.UndertowAdapter;
import io.undertow.Undertow;
import jakarta.servlet.ServletContext;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.web.reactive.WebHttpHandlerBuilderCustomizer;
import org.springframework.boot.web.embedded.jetty.JettyReactiveWebServerFactory;
import org.springframework.boot.web.embedded.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.web.embedded.tomcat.TomcatReactiveWebServerFactory;
import org.springframework.boot.web.embedded.undertow.UndertowBuilderCustomizer;
import org.springframework.boot.web.embedded.undertow.UndertowReactiveWebServerFactory;
import org.springframework.boot.web.server.Shutdown;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the shared {@link ReactiveServerTrackingConfiguration} needs of Spring Boot 3.5's
 * reactive web server factories: their class names, for its conditions, and the
 * customizers that hook the terminator into each.
 */
@Configuration(proxyBeanMethods = false)
class ReactiveServerFactories {

	static final String NETTY = "org.springframework.boot.web.embedded.netty.NettyReactiveWebServerFactory";

	static final String TOMCAT = "org.springframework.boot.web.embedded.tomcat.TomcatReactiveWebServerFactory";

	static final String JETTY = "org.springframework.boot.web.embedded.jetty.JettyReactiveWebServerFactory";

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

	/**
	 * WebFlux on Undertow, which only Boot 3.5 has: the server runs on terminator's
	 * worker, as in a servlet application, and its connections are tracked from Spring's
	 * side, Spring's adapter being the server's native handler, with no place for
	 * terminator's in Undertow's own chain.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ UndertowReactiveWebServerFactory.class, Undertow.class,
			WebHttpHandlerBuilderCustomizer.class })
	static class UndertowTracking {

		@Bean
		UndertowWorkerOwner terminatorUndertowWorker(HttpTerminator terminator,
				ObjectProvider<ServerProperties> serverProperties) {
			return new UndertowWorkerOwner(terminator, serverProperties.getIfAvailable());
		}

		@Bean
		UndertowListenSocket terminatorUndertowListenSocket(UndertowWorkerOwner worker) {
			return new UndertowListenSocket(worker);
		}

		@Bean
		UndertowAdapter terminatorUndertowAdapter(UndertowListenSocket listenSocket) {
			return new UndertowAdapter(listenSocket);
		}

		// Static: a post-processor, of WebFlux's WebSocketHandlerAdapter.
		@Bean
		@ConditionalOnBooleanProperty(name = "terminator.websocket.close-on-drain", matchIfMissing = true)
		static WebFluxWebSocketSessions terminatorWebFluxWebSocketSessions() {
			return new WebFluxWebSocketSessions();
		}

		@Bean
		WebServerFactoryCustomizer<UndertowReactiveWebServerFactory> terminatorReactiveUndertowCustomizer(
				HttpTerminator terminator, UndertowWorkerOwner worker, UndertowAdapter adapter,
				ObjectProvider<WebFluxWebSocketSessions> webSocketSessions) {
			return (factory) -> {
				// Spring's Undertow upgrade lists its sessions nowhere: those WebFlux
				// records are closed on the drain.
				webSocketSessions.ifAvailable(WebFluxWebSocketSessions::closeOnDrain);
				// First of the builder customizers, so that a worker the application sets
				// in its own wins.
				List<UndertowBuilderCustomizer> builderCustomizers = new ArrayList<>();
				builderCustomizers.add(worker::useWorker);
				builderCustomizers.addAll(factory.getBuilderCustomizers());
				factory.setBuilderCustomizers(builderCustomizers);
				// Installed only when the application runs on Undertow, before its first
				// request.
				terminator.install(adapter);
				// As for the servlet factory: the drain has done the graceful part, and
				// Boot's graceful step would answer late connections with 503.
				factory.setShutdown(Shutdown.IMMEDIATE);
			};
		}

		@Bean
		WebHttpHandlerBuilderCustomizer terminatorUndertowTrackingDecorator(UndertowAdapter adapter) {
			ConnectionTrackingHttpHandlerDecorator decorator = new ConnectionTrackingHttpHandlerDecorator(adapter);
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
