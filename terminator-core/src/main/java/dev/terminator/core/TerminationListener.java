package dev.terminator.core;

import java.time.Duration;

/**
 * Callbacks on the steps of a termination, for readiness, metrics and logging. {@link #delayStarted} is called on
 * the thread that started the termination, the others on the terminator's own thread; implementations must be quick
 * and must not throw.
 */
public interface TerminationListener {

	/**
	 * The lame-duck delay began.
	 * @param delay how long it lasts
	 */
	default void delayStarted(Duration delay) {
	}

	/**
	 * The drain began: the listen sockets are closed.
	 * @param progress the drain so far
	 */
	default void drainStarted(DrainResult progress) {
	}

	/**
	 * The drain finished: every connection is closed.
	 * @param result the result
	 */
	default void drainFinished(DrainResult result) {
	}

}
