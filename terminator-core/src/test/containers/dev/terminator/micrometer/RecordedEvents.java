package dev.terminator.micrometer;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;

/**
 * An {@link ObservationHandler} that keeps the events of every observation in the order
 * they were signalled, with their contextual names: Micrometer's test registry asserts an
 * observation's key values and lifecycle, not the order of its events.
 */
final class RecordedEvents implements ObservationHandler<Observation.Context> {

	private final List<String> names = new CopyOnWriteArrayList<>();

	private final List<String> contextualNames = new CopyOnWriteArrayList<>();

	@Override
	public void onEvent(Observation.Event event, Observation.Context context) {
		this.names.add(event.getName());
		this.contextualNames.add(event.getContextualName());
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return true;
	}

	List<String> names() {
		return this.names;
	}

	List<String> contextualNames() {
		return this.contextualNames;
	}

}
