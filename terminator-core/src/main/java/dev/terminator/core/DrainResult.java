package dev.terminator.core;

import java.time.Duration;
import java.time.Instant;

/**
 * What a finished drain did: how many connections closed for each reason, how long it
 * took and how it ended.
 *
 * @param startedAt when the drain began (the listen socket was closed)
 * @param deadline when connections still open were cut
 * @param acceptQueue the connections the drain took from the accept queue as it closed
 * the listen sockets
 * @param idleClosed connections closed because they were idle
 * @param completed connections that closed after their requests completed
 * @param forced connections cut at the deadline
 * @param duration how long the drain took, from closing the listen sockets to the last
 * connection closed
 * @param timeline when each step of the termination happened, the lame-duck delay
 * included
 */
public record DrainResult(Instant startedAt, Instant deadline, QueuedConnections acceptQueue, int idleClosed,
		int completed, int forced, Duration duration, DrainTimeline timeline) {

	/**
	 * How the drain ended.
	 * @return {@link Outcome#FORCED} if any connection had to be cut,
	 * {@link Outcome#DRAINED} otherwise
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
