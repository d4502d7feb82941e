package dev.terminator.micrometer;

import java.util.Locale;

import dev.terminator.core.DrainResult;
import dev.terminator.micrometer.TerminationObservationDocumentation.LowCardinalityKeys;
import io.micrometer.common.KeyValues;

/**
 * The default {@link TerminationObservationConvention}: the observation
 * {@code terminator.termination}, contextual name {@code terminate <server>}, low
 * cardinality key values {@code server} and {@code outcome} ({@code drained} /
 * {@code forced}, as the {@code terminator.drain} timer's tag; {@code unknown} until the
 * drain finished).
 */
public class DefaultTerminationObservationConvention implements TerminationObservationConvention {

	/**
	 * The {@code outcome} before the drain finished.
	 */
	static final String UNKNOWN_OUTCOME = "unknown";

	@Override
	public String getName() {
		// the constant, since ObservationDocumentation.getName() is declared @Nullable
		return TerminationObservationDocumentation.NAME;
	}

	@Override
	public String getContextualName(TerminationContext context) {
		return "terminate " + context.getServerName();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(TerminationContext context) {
		DrainResult result = context.getResult();
		String outcome = (result != null) ? result.outcome().name().toLowerCase(Locale.ROOT) : UNKNOWN_OUTCOME;
		return KeyValues.of(LowCardinalityKeys.SERVER.withValue(context.getServerName()),
				LowCardinalityKeys.OUTCOME.withValue(outcome));
	}

}
