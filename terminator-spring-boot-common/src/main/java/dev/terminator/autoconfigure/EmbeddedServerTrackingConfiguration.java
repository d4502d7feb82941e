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
 * Hooks the terminator into the embedded servers: Tomcat and Jetty on both Boot lines,
 * and what only one line has (Undertow on Boot 3.5) through that line's
 * {@link ServletServerFactories}, which also names each factory and customizes it: the
 * factories' classes moved between the lines. Each customizer applies to its container's
 * factory, so only the server actually in use is tracked. A connector whose connections
 * cannot be tracked is reported to {@link UntrackedConnectors}, which names it in a
 * warning. In Boot 4 a container's jar no longer implies Boot's factory for it, hence
 * both in each condition.
 */
@Configuration(proxyBeanMethods = false)
@Import(ServletServerFactories.class)
class EmbeddedServerTrackingConfiguration {

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
