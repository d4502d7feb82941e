package dev.terminator.autoconfigure;

import java.time.Duration;

import dev.terminator.core.DrainResult;
import dev.terminator.core.HttpTerminator;
import dev.terminator.core.TerminationListener;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * Lets Reactor Netty's event loops stop at once when the context closes after a drain
 * that left no connection open. Spring's {@link ReactorResourceFactory} stops them in
 * phase 0, after the web server, with a quiet period
 * ({@code spring.reactor.netty.shutdown-quiet-period}, 2 s) that waits for the loops to
 * have had no task for that long: the JVM's exit waits for it, even after a forced cut.
 * Once the drain has closed every connection, nothing is left for the quiet period to
 * wait for.
 */
final class ReactorLoopsAfterDrain implements TerminationListener {

	private final HttpTerminator terminator;

	private final ObjectProvider<ReactorResourceFactory> resourceFactories;

	ReactorLoopsAfterDrain(HttpTerminator terminator, ObjectProvider<ReactorResourceFactory> resourceFactories) {
		this.terminator = terminator;
		this.resourceFactories = resourceFactories;
	}

	@Override
	public void drainFinished(DrainResult result) {
		if (this.terminator.connections().openCount() == 0) {
			// Read by the factory when it stops, not before.
			this.resourceFactories.orderedStream()
				.forEach((resourceFactory) -> resourceFactory.setShutdownQuietPeriod(Duration.ZERO));
		}
	}

}
