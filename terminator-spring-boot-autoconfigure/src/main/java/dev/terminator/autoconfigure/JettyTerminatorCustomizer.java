package dev.terminator.autoconfigure;

import dev.terminator.core.HttpTerminator;
import dev.terminator.jetty.JettyConnectionTracking;

import org.springframework.boot.web.embedded.jetty.JettyServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Adds a server customizer to the Jetty factory in use that hands its sockets and listen sockets to the terminator.
 * Ordered last, so that its server customizer runs after those other customizers add, when the connectors are final.
 */
class JettyTerminatorCustomizer implements WebServerFactoryCustomizer<JettyServletWebServerFactory>, Ordered {

	private final HttpTerminator terminator;

	JettyTerminatorCustomizer(HttpTerminator terminator) {
		this.terminator = terminator;
	}

	@Override
	public void customize(JettyServletWebServerFactory factory) {
		factory.addServerCustomizers((server) -> JettyConnectionTracking.install(server, this.terminator));
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
