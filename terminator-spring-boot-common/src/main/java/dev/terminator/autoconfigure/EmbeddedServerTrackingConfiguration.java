package dev.terminator.autoconfigure;

import dev.terminator.core.HttpTerminator;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.server.Server;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Hooks the terminator into the embedded server in use: Tomcat and Jetty here, on both
 * Boot lines; each line's {@link ServletServerFactories} names its factories and adds
 * what only that line has (Undertow on Boot 3.5).
 */
@Configuration(proxyBeanMethods = false)
@Import(ServletServerFactories.class)
class EmbeddedServerTrackingConfiguration {

	// Both classes in each condition: in Boot 4 a container's jar no longer implies
	// Boot's factory for it.
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(value = Tomcat.class, name = ServletServerFactories.TOMCAT)
	static class TomcatTracking {

		@Bean
		WebServerFactoryCustomizer<?> terminatorTomcatCustomizer(HttpTerminator terminator,
				UntrackedConnectors untracked) {
			return ServletServerFactories.tomcat(new TomcatConnectorInstaller(terminator, untracked));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(value = Server.class, name = ServletServerFactories.JETTY)
	static class JettyTracking {

		@Bean
		WebServerFactoryCustomizer<?> terminatorJettyCustomizer(HttpTerminator terminator,
				UntrackedConnectors untracked) {
			return ServletServerFactories.jetty(new JettyServerInstaller(terminator, untracked));
		}

	}

}
