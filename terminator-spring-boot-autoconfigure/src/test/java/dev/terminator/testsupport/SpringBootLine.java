package dev.terminator.testsupport;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Server;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.jetty.JettyWebServer;
import org.springframework.boot.jetty.autoconfigure.actuate.web.server.JettyServletManagementContextAutoConfiguration;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.actuate.web.server.TomcatServletManagementContextAutoConfiguration;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.servlet.context.AnnotationConfigServletWebServerApplicationContext;
import org.springframework.boot.jetty.autoconfigure.actuate.web.server.JettyReactiveManagementContextAutoConfiguration;
import org.springframework.boot.jetty.reactive.JettyReactiveWebServerFactory;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.reactor.netty.autoconfigure.actuate.web.server.NettyReactiveManagementContextAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.tomcat.autoconfigure.actuate.web.server.TomcatReactiveManagementContextAutoConfiguration;
import org.springframework.boot.tomcat.reactive.TomcatReactiveWebServerFactory;
import org.springframework.boot.web.server.reactive.ReactiveWebServerFactory;
import org.springframework.boot.web.server.reactive.context.AnnotationConfigReactiveWebServerApplicationContext;
import org.springframework.boot.web.server.servlet.ServletWebServerFactory;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.socket.server.RequestUpgradeStrategy;
import org.springframework.web.reactive.socket.server.upgrade.ReactorNettyRequestUpgradeStrategy;
import org.springframework.web.socket.server.HandshakeHandler;
import org.springframework.web.socket.server.jetty.JettyRequestUpgradeStrategy;
import org.springframework.web.socket.server.standard.StandardWebSocketUpgradeStrategy;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/**
 * What the behaviour suite does differently on Spring Boot 4: the containers it runs on,
 * how an application starts on one, and the Boot classes it reaches, which Boot 3.5 has
 * in other packages. The rest of the suite is shared.
 */
public final class SpringBootLine {

	/**
	 * Spring Boot's graceful shutdown phase, from Boot's own constant.
	 */
	public static final int GRACEFUL_SHUTDOWN_PHASE = WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE;

	/**
	 * Spring Boot's Tomcat and Jetty server factories, whose presence the adapters are
	 * conditioned on.
	 */
	public static final Class<?>[] SERVER_FACTORIES = { TomcatServletWebServerFactory.class,
			JettyServletWebServerFactory.class };

	/**
	 * Spring Boot's auto-configurations of actuator endpoints and of a simple meter
	 * registry.
	 */
	public static final Class<?>[] ENDPOINT_AND_METRICS_AUTO_CONFIGURATIONS = { EndpointAutoConfiguration.class,
			WebEndpointAutoConfiguration.class, MetricsAutoConfiguration.class,
			SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class };

	/**
	 * Spring Boot's auto-configuration of the {@code ObservationRegistry}.
	 */
	public static final Class<?> OBSERVATION_AUTO_CONFIGURATION = ObservationAutoConfiguration.class;

	/**
	 * The containers of Spring Boot 4, which has no Undertow.
	 */
	static final List<Container> CONTAINERS = List.of(Container.TOMCAT, Container.JETTY);

	/**
	 * Spring Boot's reactive server factories, whose presence the reactive adapters are
	 * conditioned on.
	 */
	public static final Class<?>[] REACTIVE_SERVER_FACTORIES = { NettyReactiveWebServerFactory.class,
			TomcatReactiveWebServerFactory.class, JettyReactiveWebServerFactory.class };

	/**
	 * The reactive servers of this line whose drain the end-to-end tests check.
	 */
	static final List<ReactiveServer> REACTIVE_SERVERS = List.of(ReactiveServer.NETTY, ReactiveServer.TOMCAT,
			ReactiveServer.JETTY);

	private SpringBootLine() {
	}

	/**
	 * The configuration that makes an application run on the container: a server factory
	 * of its own, as an application that picks its server defines one.
	 * @param container the container
	 * @return the configuration class
	 */
	static Class<?> serverConfiguration(Container container) {
		return switch (container) {
			case TOMCAT -> TomcatServer.class;
			case JETTY -> JettyServer.class;
			case UNDERTOW -> throw new IllegalArgumentException("Spring Boot 4 has no Undertow");
		};
	}

	/**
	 * Properties an application on the container needs on this line. With Tomcat and
	 * Jetty both on the class path, both define the management server's child context
	 * factory and a separate management port fails to start: leave out the other
	 * container's.
	 * @param container the container
	 * @return the properties
	 */
	static List<String> serverProperties(Container container) {
		Class<?> otherManagementContext = (container == Container.TOMCAT)
				? JettyServletManagementContextAutoConfiguration.class
				: TomcatServletManagementContextAutoConfiguration.class;
		return List.of("spring.autoconfigure.exclude=" + otherManagementContext.getName());
	}

	/**
	 * The handshake handler Spring Framework 7 picks on the container when it is the only
	 * one on the class path: Jetty's own upgrade when Jetty's WebSocket server is
	 * present, the standard Jakarta one otherwise.
	 * @param container the container
	 * @return the handshake handler
	 */
	static HandshakeHandler handshakeHandler(Container container) {
		return new DefaultHandshakeHandler(switch (container) {
			case TOMCAT -> new StandardWebSocketUpgradeStrategy();
			case JETTY -> new JettyRequestUpgradeStrategy();
			case UNDERTOW -> throw new IllegalArgumentException("Spring Boot 4 has no Undertow");
		});
	}

	/**
	 * A runner for an application on an embedded server, as auto-configuration sees one:
	 * a web application context that has no servlet context until its server starts (one
	 * with a servlet context from the start is a WAR deployment). The server is Tomcat on
	 * loopback and port 0.
	 * @return the runner
	 */
	public static WebApplicationContextRunner embeddedWebServerContextRunner() {
		return new WebApplicationContextRunner(AnnotationConfigServletWebServerApplicationContext::new)
			.withBean(TomcatServletWebServerFactory.class, () -> {
				TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory(0);
				factory.setAddress(InetAddress.getLoopbackAddress());
				return factory;
			});
	}

	/**
	 * An application's customizer that sets the Tomcat protocol, as an application that
	 * picks another one does.
	 * @param protocol the protocol's class name
	 * @return the customizer
	 */
	public static WebServerFactoryCustomizer<TomcatServletWebServerFactory> tomcatProtocol(String protocol) {
		return (factory) -> factory.setProtocol(protocol);
	}

	/**
	 * An application's customizer that adds a Jetty {@link LocalConnector}, a connector
	 * with no socket, through a server customizer.
	 * @return the customizer
	 */
	public static WebServerFactoryCustomizer<JettyServletWebServerFactory> jettyLocalConnector() {
		return (factory) -> factory.addServerCustomizers((server) -> server.addConnector(new LocalConnector(server)));
	}

	/**
	 * The Jetty server of an application running on Jetty.
	 * @param context the application's context
	 * @return its Jetty server
	 */
	public static Server jettyServer(ApplicationContext context) {
		return ((JettyWebServer) ((WebServerApplicationContext) context).getWebServer()).getServer();
	}

	/**
	 * The configuration that makes a WebFlux application run on the server: a server
	 * factory of its own, as an application that picks its server defines one.
	 * @param server the server
	 * @return the configuration class
	 */
	static Class<?> reactiveServerConfiguration(ReactiveServer server) {
		return switch (server) {
			case NETTY -> NettyReactiveServer.class;
			case TOMCAT -> TomcatReactiveServer.class;
			case JETTY -> JettyReactiveServer.class;
			case UNDERTOW -> throw new IllegalArgumentException("Spring Boot 4 has no Undertow");
		};
	}

	/**
	 * Properties a WebFlux application on the server needs on this line. With several
	 * servers on the class path, each defines the management server's child context
	 * factory: leave out the other servers'.
	 * @param server the server
	 * @return the properties
	 */
	static List<String> reactiveServerProperties(ReactiveServer server) {
		List<Class<?>> others = new ArrayList<>(List.of(NettyReactiveManagementContextAutoConfiguration.class,
				TomcatReactiveManagementContextAutoConfiguration.class,
				JettyReactiveManagementContextAutoConfiguration.class));
		others.remove(switch (server) {
			case NETTY -> NettyReactiveManagementContextAutoConfiguration.class;
			case TOMCAT -> TomcatReactiveManagementContextAutoConfiguration.class;
			case JETTY -> JettyReactiveManagementContextAutoConfiguration.class;
			case UNDERTOW -> throw new IllegalArgumentException("Spring Boot 4 has no Undertow");
		});
		return List
			.of("spring.autoconfigure.exclude=" + String.join(",", others.stream().map(Class::getName).toList()));
	}

	/**
	 * The WebFlux WebSocket upgrade for the server, named: with every server on the class
	 * path Spring Framework would pick by class presence, not by the server that runs.
	 * @param server the server
	 * @return the upgrade strategy
	 */
	static RequestUpgradeStrategy reactiveUpgradeStrategy(ReactiveServer server) {
		return switch (server) {
			case NETTY -> new ReactorNettyRequestUpgradeStrategy();
			case TOMCAT ->
				new org.springframework.web.reactive.socket.server.upgrade.StandardWebSocketUpgradeStrategy();
			case JETTY -> new org.springframework.web.reactive.socket.server.upgrade.JettyRequestUpgradeStrategy();
			case UNDERTOW -> throw new IllegalArgumentException("Spring Boot 4 has no Undertow");
		};
	}

	/**
	 * A runner for a WebFlux application on an embedded server, as auto-configuration
	 * sees one. The server is Reactor Netty on loopback and port 0.
	 * @return the runner
	 */
	public static ReactiveWebApplicationContextRunner embeddedReactiveWebServerContextRunner() {
		return new ReactiveWebApplicationContextRunner(AnnotationConfigReactiveWebServerApplicationContext::new)
			.withBean(NettyReactiveWebServerFactory.class, () -> {
				NettyReactiveWebServerFactory factory = new NettyReactiveWebServerFactory(0);
				factory.setAddress(InetAddress.getLoopbackAddress());
				return factory;
			})
			.withBean(HttpHandler.class, () -> (request, response) -> response.setComplete());
	}

	/**
	 * A runner for a WebFlux application on a web server factory of its own, one that no
	 * terminator adapter covers.
	 * @return the runner
	 */
	public static ReactiveWebApplicationContextRunner uncoveredReactiveServerContextRunner() {
		return new ReactiveWebApplicationContextRunner(AnnotationConfigReactiveWebServerApplicationContext::new)
			.withBean(ReactiveWebServerFactory.class, () -> (handler) -> new InertWebServer())
			.withBean(HttpHandler.class, () -> (request, response) -> response.setComplete());
	}

	/**
	 * A runner for a servlet application on a web server factory of its own, one that no
	 * terminator adapter covers.
	 * @return the runner
	 */
	public static WebApplicationContextRunner uncoveredServletServerContextRunner() {
		return new WebApplicationContextRunner(AnnotationConfigServletWebServerApplicationContext::new)
			.withBean(ServletWebServerFactory.class, () -> (initializers) -> new InertWebServer());
	}

	/**
	 * A runner for a WebFlux application on Tomcat, on loopback and port 0.
	 * @return the runner
	 */
	public static ReactiveWebApplicationContextRunner tomcatReactiveWebServerContextRunner() {
		return new ReactiveWebApplicationContextRunner(AnnotationConfigReactiveWebServerApplicationContext::new)
			.withBean(TomcatReactiveWebServerFactory.class, () -> {
				TomcatReactiveWebServerFactory factory = new TomcatReactiveWebServerFactory(0);
				factory.setAddress(InetAddress.getLoopbackAddress());
				return factory;
			})
			.withBean(HttpHandler.class, () -> (request, response) -> response.setComplete());
	}

	@Configuration(proxyBeanMethods = false)
	static class NettyReactiveServer {

		@Bean
		NettyReactiveWebServerFactory nettyReactiveWebServerFactory() {
			return new NettyReactiveWebServerFactory();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TomcatReactiveServer {

		@Bean
		TomcatReactiveWebServerFactory tomcatReactiveWebServerFactory() {
			return new TomcatReactiveWebServerFactory();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class JettyReactiveServer {

		@Bean
		JettyReactiveWebServerFactory jettyReactiveWebServerFactory() {
			return new JettyReactiveWebServerFactory();
		}

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
