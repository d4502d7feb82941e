package dev.terminator.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import dev.terminator.core.HttpTerminator;
import dev.terminator.jetty.JettyConnectionTracking;
import dev.terminator.tomcat.TomcatConnectorTracking;
import dev.terminator.tomcat.TrackingHttp11NioProtocol;
import io.undertow.servlet.api.DeploymentInfo;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;

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
import org.springframework.core.Ordered;

/**
 * Hooks the terminator into the embedded servers of Spring Boot 3.5: Tomcat, Jetty and
 * Undertow. Each customizer applies to its container's factory, so only the server
 * actually in use is tracked. A connector whose connections cannot be tracked is reported
 * to {@link UntrackedConnectors}, which names it in a warning.
 */
@Configuration(proxyBeanMethods = false)
class EmbeddedServerTrackingConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ TomcatServletWebServerFactory.class, Tomcat.class })
	static class TomcatTracking {

		@Bean
		TomcatTrackingCustomizer terminatorTomcatCustomizer(HttpTerminator terminator, UntrackedConnectors untracked) {
			return new TomcatTrackingCustomizer(terminator, untracked);
		}

		/**
		 * Sets the tracking protocol first of all customizers, so that a protocol the
		 * application sets in its own customizer, which runs later, wins: nothing of
		 * terminator's overwrites it. Whatever the connector ends up with is checked once
		 * it exists, when the connector customizers run.
		 */
		static final class TomcatTrackingCustomizer
				implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

			private final TomcatConnectorInstaller connectors;

			TomcatTrackingCustomizer(HttpTerminator terminator, UntrackedConnectors untracked) {
				this.connectors = new TomcatConnectorInstaller(terminator, untracked);
			}

			@Override
			public void customize(TomcatServletWebServerFactory factory) {
				factory.setProtocol(TrackingHttp11NioProtocol.class.getName());
				factory.addConnectorCustomizers(this.connectors::install);
				factory.addContextCustomizers(TomcatConnectorTracking::releaseServletsOnStop);
			}

			@Override
			public int getOrder() {
				return Ordered.HIGHEST_PRECEDENCE;
			}

		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ JettyServletWebServerFactory.class, Server.class })
	static class JettyTracking {

		@Bean
		WebServerFactoryCustomizer<JettyServletWebServerFactory> terminatorJettyCustomizer(HttpTerminator terminator,
				UntrackedConnectors untracked) {
			// Unordered, so last: its server customizer then runs after those the
			// application adds, once the connectors are in place.
			return (factory) -> factory.addServerCustomizers((server) -> {
				for (Connector connector : JettyConnectionTracking.install(server, terminator)) {
					untracked.add("Jetty connector " + connector, "it is a " + connector.getClass().getName()
							+ ", not a ServerConnector (added by a JettyServerCustomizer, say)");
				}
			});
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ UndertowServletWebServerFactory.class, DeploymentInfo.class })
	static class UndertowTracking {

		@Bean
		UndertowWorkerLifecycle terminatorUndertowWorker(HttpTerminator terminator,
				ObjectProvider<ServerProperties> serverProperties) {
			return new UndertowWorkerLifecycle(terminator, serverProperties.getIfAvailable());
		}

		@Bean
		WebServerFactoryCustomizer<UndertowServletWebServerFactory> terminatorUndertowCustomizer(
				UndertowWorkerLifecycle worker) {
			return (factory) -> {
				// First of the builder customizers, so that a worker the application sets
				// in its own wins.
				List<UndertowBuilderCustomizer> builderCustomizers = new ArrayList<>();
				builderCustomizers.add(worker::useWorker);
				builderCustomizers.addAll(factory.getBuilderCustomizers());
				factory.setBuilderCustomizers(builderCustomizers);
				factory.addDeploymentInfoCustomizers(
						(deploymentInfo) -> deploymentInfo.addInitialHandlerChainWrapper(worker.trackingWrapper()));
				// The drain has done the graceful part, and on an application's own
				// worker Undertow keeps accepting, so Boot's graceful step, which runs
				// after it, would answer the connections that keep arriving with 503,
				// keeping them alive for a next request that the server's stop then cuts:
				// stop right after it.
				factory.setShutdown(Shutdown.IMMEDIATE);
			};
		}

	}

}
