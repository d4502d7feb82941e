package dev.terminator.testsupport;

import java.util.List;

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

	TOMCAT(TomcatServer.class, true, true),

	JETTY(JettyServer.class, true, true),

	/**
	 * Undertow 2.3 has no public way to close its listen socket without closing every connection, and reports a
	 * connection only from its first request on.
	 */
	UNDERTOW(UndertowServer.class, false, false);

	private final Class<?> configuration;

	private final boolean refusesNewConnectionsWhileDraining;

	private final boolean tracksConnectionsBeforeTheirFirstRequest;

	Container(Class<?> configuration, boolean refusesNewConnectionsWhileDraining,
			boolean tracksConnectionsBeforeTheirFirstRequest) {
		this.configuration = configuration;
		this.refusesNewConnectionsWhileDraining = refusesNewConnectionsWhileDraining;
		this.tracksConnectionsBeforeTheirFirstRequest = tracksConnectionsBeforeTheirFirstRequest;
	}

	Class<?> configuration() {
		return this.configuration;
	}

	/**
	 * Properties an application on this container needs here: none on Spring Boot 3.5.
	 * @return the properties
	 */
	List<String> properties() {
		return List.of();
	}

	/**
	 * Whether the drain closes the listen socket, so that new connections are refused.
	 * @return {@code false} if the server keeps accepting while it drains
	 */
	public boolean refusesNewConnectionsWhileDraining() {
		return this.refusesNewConnectionsWhileDraining;
	}

	/**
	 * Whether the drain sees a connection as soon as it is accepted, before its first request.
	 * @return {@code false} if a connection that never sent a request is invisible to the drain
	 */
	public boolean tracksConnectionsBeforeTheirFirstRequest() {
		return this.tracksConnectionsBeforeTheirFirstRequest;
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
