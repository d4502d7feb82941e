package dev.terminator.testsupport;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.terminator.context.DrainStartedEvent;
import dev.terminator.context.ShutdownDelayStartedEvent;
import dev.terminator.core.DrainProgress;
import dev.terminator.core.DrainResult;
import dev.terminator.core.TerminationListener;

import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.EventListener;

/**
 * An application's {@link TerminationListener} bean and listener of terminator's events:
 * records what it was told, in order, and on which thread.
 */
public class TerminationRecorder implements TerminationListener {

	private final List<String> steps = new CopyOnWriteArrayList<>();

	private final List<ApplicationEvent> events = new CopyOnWriteArrayList<>();

	/**
	 * What the listener was told, in order, such as
	 * {@code "listener: drain started on terminator-drain"}.
	 * @return the steps so far
	 */
	public List<String> steps() {
		return List.copyOf(this.steps);
	}

	/**
	 * terminator's events published so far, in order.
	 * @return the events
	 */
	public List<ApplicationEvent> events() {
		return List.copyOf(this.events);
	}

	@Override
	public void delayStarted(Duration delay) {
		record("listener: delay started");
	}

	@Override
	public void drainStarted(DrainProgress progress) {
		record("listener: drain started");
	}

	@Override
	public void drainFinished(DrainResult result) {
		record("listener: drain finished");
	}

	@EventListener
	void onDelayStarted(ShutdownDelayStartedEvent event) {
		this.events.add(event);
		record("event: delay started");
	}

	@EventListener
	void onDrainStarted(DrainStartedEvent event) {
		this.events.add(event);
		record("event: drain started");
	}

	private void record(String step) {
		this.steps.add(step + " on " + Thread.currentThread().getName());
	}

}
