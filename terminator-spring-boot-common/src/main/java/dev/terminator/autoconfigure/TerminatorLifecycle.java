package dev.terminator.autoconfigure;

import java.time.Duration;

import dev.terminator.core.HttpTerminator;
import dev.terminator.core.TerminatorSettings;

import org.springframework.context.SmartLifecycle;

/**
 * Runs the termination when the application context closes, in a phase above Spring
 * Boot's graceful shutdown, so that Boot's own step and the web server's stop find
 * nothing left to wait for.
 */
class TerminatorLifecycle implements SmartLifecycle {

	/**
	 * The phase of Spring Boot's graceful shutdown, the same number on both Boot lines,
	 * whose constant moved between them
	 * ({@code WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE} in 3.5,
	 * {@code WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE} in 4).
	 */
	static final int BOOT_GRACEFUL_SHUTDOWN_PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

	/**
	 * The phase: stopped before Spring Boot's graceful shutdown, and so before the
	 * management server's child context, which closes in a phase below it (the management
	 * port stays readable through the drain).
	 */
	static final int PHASE = BOOT_GRACEFUL_SHUTDOWN_PHASE + 512;

	/**
	 * Head room given to the phase beyond the longest a termination takes: for the
	 * listeners and the lifecycle processor's own steps.
	 */
	static final Duration PHASE_MARGIN = Duration.ofSeconds(3);

	private final HttpTerminator terminator;

	private volatile boolean running;

	TerminatorLifecycle(HttpTerminator terminator) {
		this.terminator = terminator;
	}

	/**
	 * The timeout this phase needs to run a termination with these settings to its end.
	 * @param settings the settings of the terminator that runs
	 * @return the phase timeout
	 */
	static Duration phaseTimeout(TerminatorSettings settings) {
		return settings.longestTermination().plus(PHASE_MARGIN);
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

	/**
	 * Never drain for a pause: Spring Framework 7 pauses a context (its test context
	 * cache does, for one) by stopping its pauseable lifecycles, and the context may
	 * start again. As Boot's own web server lifecycles, this one is stopped only when the
	 * context closes. Spring Framework 6 has no such method, hence no {@code @Override}.
	 * @return {@code false}
	 */
	public boolean isPauseable() {
		return false;
	}

}
