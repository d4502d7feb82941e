package dev.terminator.core;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * How a termination runs. The one place of the defaults and of the rule every duration of
 * a termination follows: configuration and endpoints that take durations from users check
 * them with {@link #invalidDurationReason(Duration)}, so that they can name what the user
 * gave.
 *
 * @param timeout how long requests in flight get, from the start of the drain, before
 * connections are cut
 * @param shutdownDelay lame-duck period before the drain
 * @param quietPeriod how long a connection must have been idle before the drain closes
 * it; a request arriving on a connection idle for less is served (with
 * {@code Connection: close}) rather than lost
 * @param adaptiveDelay how the lame-duck delay ends early once the traffic has moved, the
 * shutdown delay being then its maximum; {@code null} for a fixed delay
 */
public record TerminatorSettings(Duration timeout, Duration shutdownDelay, Duration quietPeriod,
		@Nullable AdaptiveDelay adaptiveDelay) {

	/**
	 * The default {@link #timeout()}: 30 s.
	 */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

	/**
	 * The default {@link #shutdownDelay()}: none.
	 */
	public static final Duration DEFAULT_SHUTDOWN_DELAY = Duration.ZERO;

	/**
	 * The default {@link #quietPeriod()}: 2 s, the inactivity after which Apache
	 * HttpClient checks a pooled connection before reusing it.
	 */
	public static final Duration DEFAULT_QUIET_PERIOD = Duration.ofSeconds(2);

	/**
	 * The defaults: 30 s timeout, no delay, 2 s quiet period.
	 */
	public static final TerminatorSettings DEFAULTS = new TerminatorSettings(DEFAULT_TIMEOUT, DEFAULT_SHUTDOWN_DELAY,
			DEFAULT_QUIET_PERIOD);

	public TerminatorSettings {
		requireValidDuration(timeout, "timeout");
		requireValidDuration(shutdownDelay, "shutdownDelay");
		requireValidDuration(quietPeriod, "quietPeriod");
		if (adaptiveDelay != null) {
			if (shutdownDelay.isZero()) {
				throw new IllegalArgumentException("an adaptive delay needs a shutdownDelay, its maximum");
			}
			if (adaptiveDelay.minimum().compareTo(shutdownDelay) > 0) {
				throw new IllegalArgumentException("the adaptive delay's minimum " + adaptiveDelay.minimum()
						+ " must not exceed the shutdownDelay " + shutdownDelay + ", its maximum");
			}
		}
	}

	/**
	 * Settings with a fixed lame-duck delay.
	 * @param timeout how long requests in flight get before connections are cut
	 * @param shutdownDelay lame-duck period before the drain
	 * @param quietPeriod how long a connection must have been idle before the drain
	 * closes it
	 */
	public TerminatorSettings(Duration timeout, Duration shutdownDelay, Duration quietPeriod) {
		this(timeout, shutdownDelay, quietPeriod, null);
	}

	/**
	 * These settings with a lame-duck delay that ends once the traffic has moved, the
	 * shutdown delay being its maximum.
	 * @param adaptiveDelay the quiet time and the minimum, {@code null} for a fixed delay
	 * @return the settings
	 * @throws IllegalArgumentException if the shutdown delay is zero or shorter than the
	 * minimum
	 */
	public TerminatorSettings withAdaptiveDelay(@Nullable AdaptiveDelay adaptiveDelay) {
		return new TerminatorSettings(this.timeout, this.shutdownDelay, this.quietPeriod, adaptiveDelay);
	}

	/**
	 * The longest a termination with these settings takes: the delay, the timeout, and
	 * the time connections cut at the timeout get to report their close. What a caller
	 * that waits for {@link HttpTerminator#terminate()}, such as a lifecycle phase, must
	 * allow at least.
	 * @return the longest a termination takes
	 */
	public Duration longestTermination() {
		return this.shutdownDelay.plus(this.timeout).plus(HttpTerminator.FORCE_GRACE);
	}

	/**
	 * Why a duration cannot be one of a termination's: a timeout, a delay, a period.
	 * @param duration the duration, {@code null} if none was given
	 * @return {@code null} if the duration is valid; otherwise the reason, such as
	 * {@code must be zero or positive}
	 */
	public static @Nullable String invalidDurationReason(@Nullable Duration duration) {
		if (duration == null) {
			return "must be set";
		}
		return duration.isNegative() ? "must be zero or positive" : null;
	}

	/**
	 * Check a duration of a termination.
	 * @param duration the duration
	 * @param name what it is, for the message
	 * @return the duration
	 * @throws IllegalArgumentException if it is not
	 * {@link #invalidDurationReason(Duration) valid}
	 */
	static Duration requireValidDuration(@Nullable Duration duration, String name) {
		String reason = invalidDurationReason(duration);
		if (reason != null || duration == null) {
			throw new IllegalArgumentException(name + " " + reason + ", was " + duration);
		}
		return duration;
	}

}
