package dev.terminator.core;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * The production scheduler: one daemon thread, {@code terminator-drain}, started by the
 * first task (an application that never terminates never has it) and ended by
 * {@link #shutdown()}.
 */
final class SystemTerminatorScheduler implements TerminatorScheduler {

	private @Nullable ScheduledThreadPoolExecutor executor;

	private boolean shutdown;

	@Override
	public void schedule(Runnable task, Duration delay) {
		ScheduledThreadPoolExecutor current = executor();
		if (current == null) {
			return;
		}
		try {
			current.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// Shut down meanwhile: the termination has finished, nothing is left to do.
		}
	}

	@Override
	public synchronized void shutdown() {
		this.shutdown = true;
		if (this.executor != null) {
			this.executor.shutdown();
		}
	}

	private synchronized @Nullable ScheduledThreadPoolExecutor executor() {
		if (this.executor == null && !this.shutdown) {
			this.executor = createExecutor();
		}
		return this.shutdown ? null : this.executor;
	}

	private static ScheduledThreadPoolExecutor createExecutor() {
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (runnable) -> {
			Thread thread = new Thread(runnable, "terminator-drain");
			thread.setDaemon(true);
			return thread;
		});
		executor.setRemoveOnCancelPolicy(true);
		executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
		return executor;
	}

}
