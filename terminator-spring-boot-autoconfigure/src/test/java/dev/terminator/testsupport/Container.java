package dev.terminator.testsupport;

import org.springframework.boot.web.embedded.jetty.JettyServletWebServerFactory;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The embedded containers terminator supports, each as a user-defined server factory.
 */
public enum Container {

	TOMCAT(TomcatServer.class),

	JETTY(JettyServer.class);

	private final Class<?> configuration;

	Container(Class<?> configuration) {
		this.configuration = configuration;
	}

	Class<?> configuration() {
		return this.configuration;
	}

	@Configuration(proxyBeanMethods = false)
	static class TomcatServer {

		@Bean
		TomcatServletWebServerFactory tomcatServletWebServerFactory() {
			return new TomcatServletWebServerFactory();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class JettyServer {

		@Bean
		JettyServletWebServerFactory jettyServletWebServerFactory() {
			return new JettyServletWebServerFactory();
		}

	}

}
