package dev.terminator.server;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.terminator.core.HttpTerminator;
import dev.terminator.testsupport.ServerAddress;

/**
 * A bare embedded container, no Spring Boot, with terminator installed as the Boot glue
 * installs it, serving {@link TestServlet} and the WebSocket {@link EchoEndpoint}, on
 * loopback and port 0.
 */
public interface BareServer extends ServerAddress, AutoCloseable {

	HttpTerminator terminator();

	TestServlet servlet();

	/**
	 * Stop the container, as the application's stop does once the drain is over.
	 * @throws Exception if the container fails to stop
	 */
	void stop() throws Exception;

	/**
	 * Drain, then stop the container: what a Boot application's close does.
	 * @throws Exception if the drain does not finish within its timeout and a few
	 * seconds, or the container fails to stop
	 */
	default void shutDown() throws Exception {
		Duration bound = terminator().settings().timeout().plusSeconds(5);
		terminator().terminate().get(bound.toMillis(), TimeUnit.MILLISECONDS);
		stop();
	}

	/**
	 * Whether {@link #stop()} has returned.
	 * @return {@code true} once stopped
	 */
	boolean isStopped();

	/**
	 * Stop the container unless a test has stopped it already.
	 */
	@Override
	void close();

}
