package dev.terminator.core;

import java.time.Duration;
import java.util.Objects;

/**
 * How a termination runs.
 *
 * @param timeout how long requests in flight get, from the start of the drain, before connections are cut
 * @param shutdownDelay lame-duck period before the drain
 * @param quietPeriod how long a connection must have been idle before the drain closes it; a request arriving on a
 * connection idle for less is served (with {@code Connection: close}) rather than lost
 */
public record TerminatorSettings(Duration timeout, Duration shutdownDelay, Duration quietPeriod) {

	/**
	 * The defaults: 30 s timeout, no delay, 2 s quiet period.
	 */
	public static final TerminatorSettings DEFAULTS = new TerminatorSettings(Duration.ofSeconds(30), Duration.ZERO,
			Duration.ofSeconds(2));

	public TerminatorSettings {
		requireNotNegative(timeout, "timeout");
		requireNotNegative(shutdownDelay, "shutdownDelay");
		requireNotNegative(quietPeriod, "quietPeriod");
	}

	private static void requireNotNegative(Duration duration, String name) {
		Objects.requireNonNull(duration, () -> name + " must not be null");
		if (duration.isNegative()) {
			throw new IllegalArgumentException(name + " must not be negative, was " + duration);
		}
	}

}
