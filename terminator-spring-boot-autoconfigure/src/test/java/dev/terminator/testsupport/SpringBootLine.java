package dev.terminator.testsupport;

import java.net.InetAddress;

import org.eclipse.jetty.server.Server;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.jetty.JettyWebServer;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.servlet.context.AnnotationConfigServletWebServerApplicationContext;
import org.springframework.context.ApplicationContext;

/**
 * What the behaviour suite reaches in Spring Boot 4 where Boot 3.5 had it elsewhere.
 */
public final class SpringBootLine {

	/**
	 * Spring Boot's graceful shutdown phase, from Boot's own constant.
	 */
	public static final int GRACEFUL_SHUTDOWN_PHASE = WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE;

	/**
	 * Spring Boot's auto-configurations of actuator endpoints and of a simple meter registry.
	 */
	public static final Class<?>[] ENDPOINT_AND_METRICS_AUTO_CONFIGURATIONS = { EndpointAutoConfiguration.class,
			WebEndpointAutoConfiguration.class, MetricsAutoConfiguration.class,
			SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class };

	private SpringBootLine() {
	}

	/**
	 * A runner for an application on an embedded server, as auto-configuration sees one: a web application context
	 * that has no servlet context until its server starts (one with a servlet context from the start is a WAR
	 * deployment). The server is Tomcat on loopback and port 0.
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
	 * The Jetty server of an application running on Jetty.
	 * @param context the application's context
	 * @return its Jetty server
	 */
	public static Server jettyServer(ApplicationContext context) {
		return ((JettyWebServer) ((WebServerApplicationContext) context).getWebServer()).getServer();
	}

}
