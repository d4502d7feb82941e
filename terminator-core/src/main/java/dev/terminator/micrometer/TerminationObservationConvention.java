package dev.terminator.micrometer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * {@link ObservationConvention} of a termination's observation: define a bean of it to
 * name the observation, or add key values, differently from
 * {@link DefaultTerminationObservationConvention}.
 */
public interface TerminationObservationConvention extends ObservationConvention<TerminationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof TerminationContext;
	}

}
