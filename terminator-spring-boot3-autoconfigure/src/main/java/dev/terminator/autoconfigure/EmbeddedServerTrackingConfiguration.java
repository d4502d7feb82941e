package dev.terminator.autoconfigure;

import dev.terminator.core.HttpTerminator;
import dev.terminator.jetty.JettyConnectionTracking;
import dev.terminator.tomcat.TomcatConnectorTracking;
import dev.terminator.tomcat.TrackingHttp11NioProtocol;
import dev.terminator.undertow.TrackingHandlerWrapper;
import io.undertow.servlet.api.DeploymentInfo;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.server.Server;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.web.embedded.jetty.JettyServletWebServerFactory;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.embedded.undertow.UndertowServletWebServerFactory;
import org.springframework.boot.web.server.Shutdown;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Hooks the terminator into the embedded servers of Spring Boot 3.5: Tomcat, Jetty and Undertow. Each customizer
 * applies to its container's factory, so only the server actually in use is tracked. The customizers carry no order:
 * they run after every ordered customizer, and after the application's own, once protocol and connectors are final.
 */
@Configuration(proxyBeanMethods = false)
class EmbeddedServerTrackingConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ TomcatServletWebServerFactory.class, Tomcat.class })
	static class TomcatTracking {

		@Bean
		WebServerFactoryCustomizer<TomcatServletWebServerFactory> terminatorTomcatCustomizer(HttpTerminator terminator) {
			return (factory) -> {
				factory.setProtocol(TrackingHttp11NioProtocol.class.getName());
				factory.addConnectorCustomizers((connector) -> TomcatConnectorTracking.install(connector, terminator));
				factory.addContextCustomizers(TomcatConnectorTracking::releaseServletsOnStop);
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ JettyServletWebServerFactory.class, Server.class })
	static class JettyTracking {

		@Bean
		WebServerFactoryCustomizer<JettyServletWebServerFactory> terminatorJettyCustomizer(HttpTerminator terminator) {
			return (factory) -> factory
				.addServerCustomizers((server) -> JettyConnectionTracking.install(server, terminator));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ UndertowServletWebServerFactory.class, DeploymentInfo.class })
	static class UndertowTracking {

		@Bean
		WebServerFactoryCustomizer<UndertowServletWebServerFactory> terminatorUndertowCustomizer(
				HttpTerminator terminator) {
			return (factory) -> {
				factory.addDeploymentInfoCustomizers((deploymentInfo) -> deploymentInfo
					.addInitialHandlerChainWrapper(TrackingHandlerWrapper.trackWith(terminator)));
				// Undertow keeps accepting through the drain, so Boot's graceful step, which runs after it, would
				// answer the connections that keep arriving with 503, keeping them alive for a next request that the
				// server's stop then cuts. The drain has done the graceful part: stop right after it.
				factory.setShutdown(Shutdown.IMMEDIATE);
			};
		}

	}

}
