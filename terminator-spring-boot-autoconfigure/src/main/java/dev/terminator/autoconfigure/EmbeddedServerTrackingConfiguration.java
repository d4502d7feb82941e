package dev.terminator.autoconfigure;

import dev.terminator.core.HttpTerminator;
import dev.terminator.jetty.JettyConnectionTracking;
import dev.terminator.tomcat.TomcatConnectorTracking;
import dev.terminator.tomcat.TrackingHttp11NioProtocol;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.server.Server;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Hooks the terminator into the embedded servers of Spring Boot 4: Tomcat and Jetty (Boot 4 has no Undertow). Each
 * customizer applies to its container's factory, so only the server actually in use is tracked. The customizers carry
 * no order: they run after every ordered customizer, and after the application's own, once protocol and connectors
 * are final. In Boot 4 a container's jar no longer implies Boot's factory for it, hence both classes in each condition.
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

}
