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
	 * The lame-duck delay ended; the drain begins next.
	 * @param lameDuck the delay: why it ended, what arrived during it
	 */
	default void delayEnded(LameDuck lameDuck) {
	}

	/**
	 * The drain began: the listen sockets are closed.
	 * @param progress the drain so far
	 */
	default void drainStarted(DrainProgress progress) {
	}

	/**
	 * The drain has closed the idle connections: called once, the first time it closed an
	 * idle connection and none was left idle. Connections that turn idle later, after
	 * their last request, are closed too; {@link DrainTimeline#lastIdleClosedAt()} says
	 * when the last was.
	 * @param progress the drain so far
	 */
	default void idleConnectionsClosed(DrainProgress progress) {
	}

	/**
	 * The timeout passed with connections still open: they are being cut.
	 * @param progress the drain so far
	 * @param connections how many connections are cut
	 */
	default void connectionsCut(DrainProgress progress, int connections) {
	}

	/**
	 * The drain finished: every connection is closed.
	 * @param result the result
	 */
	default void drainFinished(DrainResult result) {
	}

}
