package dev.terminator.autoconfigure;

import java.time.Duration;

import dev.terminator.core.HttpTerminator;

import org.springframework.boot.web.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the termination when the application context closes, in a phase above Spring Boot's graceful shutdown, so
 * that Boot's own step and the web server's stop find nothing left to wait for.
 */
class TerminatorLifecycle implements SmartLifecycle {

	/**
	 * The phase: stopped before {@link WebServerGracefulShutdownLifecycle#SMART_LIFECYCLE_PHASE}.
	 */
	static final int PHASE = WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE + 512;

	/**
	 * Head room given to the phase beyond the delay, the timeout and the time cut connections get to close.
	 */
	static final Duration PHASE_MARGIN = Duration.ofSeconds(5);

	private final HttpTerminator terminator;

	private volatile boolean running;

	TerminatorLifecycle(HttpTerminator terminator) {
		this.terminator = terminator;
	}

	/**
	 * The longest a termination with these settings can take, plus a margin: the timeout this phase needs.
	 * @param properties the settings
	 * @return the phase timeout
	 */
	static Duration phaseTimeout(TerminatorProperties properties) {
		return properties.getShutdownDelay().plus(properties.getTimeout()).plus(PHASE_MARGIN);
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.terminator.terminate().join();
		this.running = false;
	}

	@Override
	public void stop(Runnable callback) {
		this.terminator.terminate().whenComplete((result, failure) -> {
			this.running = false;
			callback.run();
		});
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
