package dev.terminator.core;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * The lame-duck delay of a termination: when it began and ended, why it ended, and what
 * still arrived during it. Requests and new connections arriving late in it say the load
 * balancer had not taken the instance out yet.
 *
 * @param startedAt when the delay began
 * @param endedAt when it ended (the drain began), {@code null} while it lasts
 * @param end why it ended, {@code null} while it lasts
 * @param requests requests that arrived during the delay (on HTTP/2, a connection turning
 * busy counts once, however many streams it then carries)
 * @param newConnections connections accepted during the delay
 */
public record LameDuck(Instant startedAt, @Nullable Instant endedAt, @Nullable End end, int requests,
		int newConnections) {

	/**
	 * How long the delay lasted.
	 * @return the duration, {@code null} while it lasts
	 */
	public @Nullable Duration duration() {
		return (this.endedAt != null) ? Duration.between(this.startedAt, this.endedAt) : null;
	}

	/**
	 * Why a lame-duck delay ended.
	 */
	public enum End {

		/**
		 * A fixed delay elapsed.
		 */
		ELAPSED,

		/**
		 * An {@linkplain AdaptiveDelay adaptive} delay ended early: nothing new had
		 * arrived for its quiet time.
		 */
		QUIET,

		/**
		 * An {@linkplain AdaptiveDelay adaptive} delay reached its maximum, the shutdown
		 * delay, with traffic still arriving.
		 */
		MAXIMUM

	}

}
