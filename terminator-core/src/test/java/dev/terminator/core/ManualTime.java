package dev.terminator.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * Time that passes only when the test says so: the engine's clock and its scheduler in
 * one. A scheduled task runs when the test {@link #advance advances} the time to its due
 * time (or {@link #runDue runs} what is due now), on the test's thread, in the order of
 * due time, then of scheduling; tasks it schedules run in the same advance when they fall
 * due within it.
 */
final class ManualTime implements TerminatorClock, TerminatorScheduler {

	/**
	 * The instant at nano time zero.
	 */
	static final Instant ORIGIN = Instant.parse("2026-01-01T00:00:00Z");

	private final PriorityQueue<Task> tasks = new PriorityQueue<>(
			Comparator.comparingLong(Task::dueNanos).thenComparingLong(Task::sequence));

	private long nanos;

	private long scheduled;

	private boolean shutdown;

	@Override
	public Instant instant() {
		return ORIGIN.plusNanos(nanoTime());
	}

	@Override
	public synchronized long nanoTime() {
		return this.nanos;
	}

	@Override
	public synchronized void schedule(Runnable task, Duration delay) {
		if (!this.shutdown) {
			this.tasks.add(new Task(this.nanos + delay.toNanos(), this.scheduled++, task));
		}
	}

	// As the system's scheduler: what is due runs, what is delayed is dropped.
	@Override
	public synchronized void shutdown() {
		this.shutdown = true;
		this.tasks.removeIf((task) -> task.dueNanos() > this.nanos);
	}

	/**
	 * Move the time forward, running every task that falls due meanwhile at its due time.
	 * @param duration how far
	 */
	void advance(Duration duration) {
		long target;
		synchronized (this) {
			target = this.nanos + duration.toNanos();
		}
		while (true) {
			Task next;
			synchronized (this) {
				next = this.tasks.peek();
				if (next == null || next.dueNanos() > target) {
					this.nanos = target;
					return;
				}
				this.tasks.remove();
				this.nanos = Math.max(this.nanos, next.dueNanos());
			}
			next.task().run();
		}
	}

	/**
	 * Run the tasks due now, without moving the time.
	 */
	void runDue() {
		advance(Duration.ZERO);
	}

	/**
	 * How long since nano time zero.
	 * @return the time elapsed
	 */
	Duration elapsed() {
		return Duration.ofNanos(nanoTime());
	}

	synchronized boolean isShutdown() {
		return this.shutdown;
	}

	synchronized int pendingTasks() {
		return this.tasks.size();
	}

	private record Task(long dueNanos, long sequence, Runnable task) {

	}

}
