package dev.terminator.autoconfigure;

import dev.terminator.core.HttpTerminator;
import dev.terminator.tomcat.TomcatAdapter;
import dev.terminator.tomcat.TrackingHttp11NioProtocol;
import org.apache.catalina.connector.Connector;

/**
 * Installs a {@link TomcatAdapter} for each Tomcat connector Spring Boot creates, and
 * reports one whose protocol the application changed from the tracking one. The
 * customizers of both Boot lines use it: only the factory they customize differs.
 */
final class TomcatConnectorInstaller {

	private final HttpTerminator terminator;

	private final UntrackedConnectors untracked;

	TomcatConnectorInstaller(HttpTerminator terminator, UntrackedConnectors untracked) {
		this.terminator = terminator;
		this.untracked = untracked;
	}

	/**
	 * The protocol to set on the factory, first of all customizers, so that a protocol
	 * the application sets in its own customizer, which runs later, wins: nothing of
	 * terminator's overwrites it. Whatever the connector ends up with is checked once it
	 * exists, in {@link #install}.
	 * @return the class name of the tracking protocol
	 */
	String protocol() {
		return TrackingHttp11NioProtocol.class.getName();
	}

	void install(Connector connector) {
		this.untracked.addAll(this.terminator.install(new TomcatAdapter(connector)),
				"; the application set it (TomcatServletWebServerFactory.setProtocol, in a"
						+ " WebServerFactoryCustomizer or on its own factory bean), and terminator"
						+ " leaves it as it is. Leave the protocol at its default, Http11NioProtocol,"
						+ " for the drain to track keep-alive connections");
	}

}
