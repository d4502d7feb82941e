package dev.terminator.testsupport;

import org.springframework.boot.web.embedded.jetty.JettyServletWebServerFactory;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.embedded.undertow.UndertowServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The embedded containers terminator supports, each as a user-defined server factory, with what its public API lets
 * the drain do.
 */
public enum Container {

	TOMCAT(TomcatServer.class, true),

	JETTY(JettyServer.class, true),

	/**
	 * Undertow 2.3 has no public way to close its listen socket without closing every connection.
	 */
	UNDERTOW(UndertowServer.class, false);

	private final Class<?> configuration;

	private final boolean refusesNewConnectionsWhileDraining;

	Container(Class<?> configuration, boolean refusesNewConnectionsWhileDraining) {
		this.configuration = configuration;
		this.refusesNewConnectionsWhileDraining = refusesNewConnectionsWhileDraining;
	}

	Class<?> configuration() {
		return this.configuration;
	}

	/**
	 * Whether the drain closes the listen socket, so that new connections are refused.
	 * @return {@code false} if the server keeps accepting while it drains
	 */
	public boolean refusesNewConnectionsWhileDraining() {
		return this.refusesNewConnectionsWhileDraining;
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

	@Configuration(proxyBeanMethods = false)
	static class UndertowServer {

		@Bean
		UndertowServletWebServerFactory undertowServletWebServerFactory() {
			return new UndertowServletWebServerFactory();
		}

	}

}
