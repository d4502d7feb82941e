package dev.terminator.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import dev.terminator.core.HttpTerminator;
import dev.terminator.tomcat.TomcatAdapter;
import dev.terminator.undertow.UndertowAdapter;
import io.undertow.servlet.api.DeploymentInfo;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.web.embedded.jetty.JettyServletWebServerFactory;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.embedded.undertow.UndertowBuilderCustomizer;
import org.springframework.boot.web.embedded.undertow.UndertowServletWebServerFactory;
import org.springframework.boot.web.server.Shutdown;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the shared {@link EmbeddedServerTrackingConfiguration} needs of Spring Boot 3.5's
 * servlet web server factories: their class names, for its conditions, and the
 * customizers that hook the terminator into each; and the tracking of Undertow, which
 * only Boot 3.5 has.
 */
@Configuration(proxyBeanMethods = false)
class ServletServerFactories {

	static final String TOMCAT = "org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory";

	static final String JETTY = "org.springframework.boot.web.embedded.jetty.JettyServletWebServerFactory";

	static WebServerFactoryCustomizer<TomcatServletWebServerFactory> tomcat(TomcatConnectorInstaller connectors) {
		return TomcatCustomizer.create(connectors);
	}

	// Unordered, so last: its server customizer then runs after those the application
	// adds, once the connectors are in place.
	static WebServerFactoryCustomizer<JettyServletWebServerFactory> jetty(JettyServerInstaller servers) {
		return JettyCustomizer.create(servers);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ UndertowServletWebServerFactory.class, DeploymentInfo.class })
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
		WebServerFactoryCustomizer<UndertowServletWebServerFactory> terminatorUndertowCustomizer(
				HttpTerminator terminator, UndertowWorkerOwner worker, UndertowListenSocket listenSocket) {
			return (factory) -> {
				// First of the builder customizers, so that a worker the application sets
				// in its own wins.
				List<UndertowBuilderCustomizer> builderCustomizers = new ArrayList<>();
				builderCustomizers.add(worker::useWorker);
				builderCustomizers.addAll(factory.getBuilderCustomizers());
				factory.setBuilderCustomizers(builderCustomizers);
				factory.addDeploymentInfoCustomizers((deploymentInfo) -> {
					UndertowAdapter adapter = new UndertowAdapter(listenSocket);
					terminator.install(adapter);
					deploymentInfo.addInitialHandlerChainWrapper(adapter.handlerWrapper());
				});
				// The drain has done the graceful part, and on an application's own
				// worker Undertow keeps accepting, so Boot's graceful step, which runs
				// after it, would answer the connections that keep arriving with 503,
				// keeping them alive for a next request that the server's stop then cuts:
				// stop right after it.
				factory.setShutdown(Shutdown.IMMEDIATE);
			};
		}

	}

	// Each server's customizer is built in a class of its own, loaded only once that
	// server is known to be there: Spring introspects every method of this configuration
	// class, the lambdas' too, and one that takes a server's factory fails on a class
	// path without that server.
	private static final class TomcatCustomizer {

		static WebServerFactoryCustomizer<TomcatServletWebServerFactory> create(TomcatConnectorInstaller connectors) {
			return new FirstServerFactoryCustomizer<>(TomcatServletWebServerFactory.class, (factory) -> {
				factory.setProtocol(connectors.protocol());
				factory.addConnectorCustomizers(connectors::install);
				factory.addContextCustomizers(TomcatAdapter::releaseServletsOnStop);
			});
		}

	}

	private static final class JettyCustomizer {

		static WebServerFactoryCustomizer<JettyServletWebServerFactory> create(JettyServerInstaller servers) {
			return (factory) -> factory.addServerCustomizers(servers::install);
		}

	}

}
