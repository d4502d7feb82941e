package dev.terminator.core;

import java.time.Instant;

/**
 * Where the engine reads the time: the wall clock for the instants it reports, a
 * monotonic clock for the durations it measures and waits. The system's in production; a
 * manual one in tests, so that the state machine is tested without waiting.
 */
interface TerminatorClock {

	/**
	 * The system's clocks: {@link Instant#now()} and {@link System#nanoTime()}.
	 */
	TerminatorClock SYSTEM = new TerminatorClock() {

		@Override
		public Instant instant() {
			return Instant.now();
		}

		@Override
		public long nanoTime() {
			return System.nanoTime();
		}

	};

	/**
	 * The current instant, for what the drain reports (when it began, its deadline).
	 * @return now
	 */
	Instant instant();

	/**
	 * The monotonic time, for what the drain measures and waits (idle time, its
	 * duration).
	 * @return nanoseconds from an arbitrary origin, as {@link System#nanoTime()}
	 */
	long nanoTime();

}
