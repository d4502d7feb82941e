package dev.terminator.testsupport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.terminator.micrometer.TerminationContext;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;

/**
 * An {@link ObservationHandler} that keeps what it is told of termination observations:
 * each step, with the observation's name or the event's, in order. Added to the
 * application's own registry, it shows what a tracing or meter handler would be given.
 */
public final class TerminationObservations implements ObservationHandler<TerminationContext> {

	private final List<String> steps = new CopyOnWriteArrayList<>();

	private final List<TerminationContext> stopped = new CopyOnWriteArrayList<>();

	@Override
	public void onStart(TerminationContext context) {
		this.steps.add("start " + context.getName());
	}

	@Override
	public void onEvent(Observation.Event event, TerminationContext context) {
		this.steps.add(event.getName());
	}

	@Override
	public void onStop(TerminationContext context) {
		this.steps.add("stop " + context.getName());
		this.stopped.add(context);
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof TerminationContext;
	}

	/**
	 * The steps so far: {@code start <name>}, the events' names, {@code stop <name>}.
	 * @return the steps
	 */
	public List<String> steps() {
		return this.steps;
	}

	/**
	 * The contexts of the observations stopped so far.
	 * @return the contexts
	 */
	public List<TerminationContext> stopped() {
		return this.stopped;
	}

}
