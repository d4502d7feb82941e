package dev.terminator.testsupport;

import java.util.List;

import org.springframework.boot.jetty.autoconfigure.actuate.web.server.JettyServletManagementContextAutoConfiguration;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.tomcat.autoconfigure.actuate.web.server.TomcatServletManagementContextAutoConfiguration;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The embedded containers terminator supports on Spring Boot 4, each as a user-defined server factory, with what its
 * public API lets the drain do.
 */
public enum Container {

	TOMCAT(TomcatServer.class, true, true, JettyServletManagementContextAutoConfiguration.class),

	JETTY(JettyServer.class, true, true, TomcatServletManagementContextAutoConfiguration.class);

	private final Class<?> configuration;

	private final boolean refusesNewConnectionsWhileDraining;

	private final boolean tracksConnectionsBeforeTheirFirstRequest;

	private final Class<?> otherManagementContext;

	Container(Class<?> configuration, boolean refusesNewConnectionsWhileDraining,
			boolean tracksConnectionsBeforeTheirFirstRequest, Class<?> otherManagementContext) {
		this.configuration = configuration;
		this.refusesNewConnectionsWhileDraining = refusesNewConnectionsWhileDraining;
		this.tracksConnectionsBeforeTheirFirstRequest = tracksConnectionsBeforeTheirFirstRequest;
		this.otherManagementContext = otherManagementContext;
	}

	Class<?> configuration() {
		return this.configuration;
	}

	/**
	 * Properties an application on this container needs here: with Tomcat and Jetty both on the class path, both
	 * define the management server's child context factory, and a separate management port fails to start.
	 * @return the properties
	 */
	List<String> properties() {
		return List.of("spring.autoconfigure.exclude=" + this.otherManagementContext.getName());
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

}
