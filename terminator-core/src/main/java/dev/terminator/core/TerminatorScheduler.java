package dev.terminator.core;

import java.time.Duration;

/**
 * What runs the engine's steps: the delay's end, the drain's start, the closes when
 * connections have been quiet, the cut at the timeout. One thread in production
 * ({@link SystemTerminatorScheduler}); the test's own in tests, so that a step runs
 * exactly when the test has advanced the time to it.
 */
interface TerminatorScheduler {

	/**
	 * Run a task once its delay has passed. Once {@link #shutdown() shut down}, does
	 * nothing.
	 * @param task the task
	 * @param delay how long from now, {@link Duration#ZERO} for as soon as possible
	 */
	void schedule(Runnable task, Duration delay);

	/**
	 * The termination has finished: the tasks still pending have nothing left to do, and
	 * no thread need remain.
	 */
	void shutdown();

}
