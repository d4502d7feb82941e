package dev.terminator.core;

import java.time.Duration;

/**
 * Callbacks on the steps of a termination, for readiness, metrics and logging, and for an
 * application to end its long-lived responses (server-sent events, long polls) when the
 * drain begins. {@link #delayStarted} is called on the thread that started the
 * termination, the others on the terminator's own thread, which drives the whole drain:
 * implementations must be quick (completing an {@code SseEmitter} is; a blocking call is
 * not) and should not throw. An exception is logged and the termination goes on.
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
	default void drainStarted(DrainProgress progress) {
	}

	/**
	 * The drain finished: every connection is closed.
	 * @param result the result
	 */
	default void drainFinished(DrainResult result) {
	}

}
