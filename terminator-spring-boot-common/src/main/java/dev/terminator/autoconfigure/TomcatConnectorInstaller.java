package dev.terminator.autoconfigure;

import dev.terminator.core.HttpTerminator;
import dev.terminator.tomcat.TomcatConnectorTracking;
import org.apache.catalina.connector.Connector;

/**
 * Hands each Tomcat connector Spring Boot creates to the terminator, and reports one
 * whose protocol the application changed from the tracking one. The customizers of both
 * Boot lines use it: only the factory they customize differs.
 */
final class TomcatConnectorInstaller {

	private final HttpTerminator terminator;

	private final UntrackedConnectors untracked;

	TomcatConnectorInstaller(HttpTerminator terminator, UntrackedConnectors untracked) {
		this.terminator = terminator;
		this.untracked = untracked;
	}

	void install(Connector connector) {
		if (!TomcatConnectorTracking.install(connector, this.terminator)) {
			this.untracked.add("Tomcat protocol " + connector.getProtocolHandler().getClass().getName(),
					"the application set it (TomcatServletWebServerFactory.setProtocol, in a"
							+ " WebServerFactoryCustomizer or on its own factory bean), and terminator"
							+ " leaves it as it is. Leave the protocol at its default, Http11NioProtocol,"
							+ " for the drain to track keep-alive connections");
		}
	}

}
