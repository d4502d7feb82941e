package dev.terminator.core;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What a drain did: how many connections closed for each reason and how long it took.
 *
 * @param startedAt when the drain began (the listen socket was closed)
 * @param deadline when connections still open are cut
 * @param idleClosed connections closed because they were idle
 * @param completed connections that closed after their requests completed
 * @param forced connections cut at the deadline
 * @param duration how long the drain took, or {@code null} while it is still running
 */
public record DrainResult(Instant startedAt, Instant deadline, int idleClosed, int completed, int forced,
		@Nullable Duration duration) {

	/**
	 * Whether the drain has finished.
	 * @return {@code true} once every connection is closed
	 */
	public boolean isFinished() {
		return this.duration != null;
	}

	/**
	 * How the drain ended.
	 * @return {@link Outcome#FORCED} if any connection had to be cut, {@link Outcome#DRAINED} otherwise
	 */
	public Outcome outcome() {
		return (this.forced > 0) ? Outcome.FORCED : Outcome.DRAINED;
	}

	/**
	 * How a drain ended.
	 */
	public enum Outcome {

		/**
		 * Every connection closed before the deadline.
		 */
		DRAINED,

		/**
		 * At least one connection was cut at the deadline.
		 */
		FORCED

	}

}
