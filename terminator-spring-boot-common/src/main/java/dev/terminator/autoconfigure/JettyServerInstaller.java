package dev.terminator.autoconfigure;

import dev.terminator.core.HttpTerminator;
import dev.terminator.jetty.JettyAdapter;
import org.eclipse.jetty.server.Server;

/**
 * Installs a {@link JettyAdapter} for the Jetty server Spring Boot creates, and reports
 * its connectors whose connections cannot be tracked. The customizers of both Boot lines
 * use it: only the factory they customize differs.
 */
final class JettyServerInstaller {

	private final HttpTerminator terminator;

	private final UntrackedConnectors untracked;

	JettyServerInstaller(HttpTerminator terminator, UntrackedConnectors untracked) {
		this.terminator = terminator;
		this.untracked = untracked;
	}

	void install(Server server) {
		this.untracked.addAll(this.terminator.install(new JettyAdapter(server)),
				" (added by a JettyServerCustomizer, say)");
	}

}
