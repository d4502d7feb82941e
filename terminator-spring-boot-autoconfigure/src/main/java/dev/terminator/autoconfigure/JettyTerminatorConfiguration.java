package dev.terminator.autoconfigure;

import dev.terminator.core.HttpTerminator;
import org.eclipse.jetty.server.Server;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tracks the connections of embedded Jetty, when Jetty is the server in use.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(Server.class)
class JettyTerminatorConfiguration {

	@Bean
	JettyTerminatorCustomizer terminatorJettyCustomizer(HttpTerminator terminator) {
		return new JettyTerminatorCustomizer(terminator);
	}

}
