package dev.terminator.autoconfigure;

import dev.terminator.tomcat.TomcatAdapter;

import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Configuration;

/**
 * What the shared {@link EmbeddedServerTrackingConfiguration} needs of Spring Boot 4's
 * servlet web server factories: their class names, for its conditions, and the
 * customizers that hook the terminator into each. Boot 4 has no Undertow, hence no bean
 * of its own here.
 */
@Configuration(proxyBeanMethods = false)
class ServletServerFactories {

	static final String TOMCAT = "org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory";

	static final String JETTY = "org.springframework.boot.jetty.servlet.JettyServletWebServerFactory";

	static WebServerFactoryCustomizer<TomcatServletWebServerFactory> tomcat(TomcatConnectorInstaller connectors) {
		return TomcatCustomizer.create(connectors);
	}

	// Unordered, so last: its server customizer then runs after those the application
	// adds, once the connectors are in place.
	static WebServerFactoryCustomizer<JettyServletWebServerFactory> jetty(JettyServerInstaller servers) {
		return JettyCustomizer.create(servers);
	}

	// Each server's customizer is built in a class of its own, loaded only once that
	// server is known to be there: Spring introspects every method of this configuration
	// class, the lambdas' too, and one that takes a server's factory fails on a class
	// path without that server.
	private static final class TomcatCustomizer {

		static WebServerFactoryCustomizer<TomcatServletWebServerFactory> create(TomcatConnectorInstaller connectors) {
			return new FirstServerFactoryCustomizer<>(TomcatServletWebServerFactory.class, (factory) -> {
				factory.setProtocol(connectors.protocol());
				factory.addConnectorCustomizers(connectors::install);
				factory.addContextCustomizers(TomcatAdapter::releaseServletsOnStop);
			});
		}

	}

	private static final class JettyCustomizer {

		static WebServerFactoryCustomizer<JettyServletWebServerFactory> create(JettyServerInstaller servers) {
			return (factory) -> factory.addServerCustomizers(servers::install);
		}

	}

}
