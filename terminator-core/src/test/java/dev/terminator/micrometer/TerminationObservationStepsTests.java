package dev.terminator.micrometer;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.terminator.core.DrainResult;
import dev.terminator.core.HttpTerminator;
import dev.terminator.core.TerminatorSettings;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The observation of a termination with no server: the lame-duck delay's events, a custom
 * convention, and a failing handler that does not stop the termination.
 */
class TerminationObservationStepsTests {

	private static final Duration DELAY = Duration.ofMillis(50);

	@Test
	void lameDuckDelayStartsTheObservationAndEndsWithWhyItEnded() throws Exception {
		HttpTerminator terminator = new HttpTerminator(
				new TerminatorSettings(Duration.ofSeconds(5), DELAY, Duration.ZERO));
		TestObservationRegistry observations = TestObservationRegistry.create();
		RecordedEvents events = new RecordedEvents();
		observations.observationConfig().observationHandler(events);
		terminator.addListener(new TerminationObservation(terminator, observations));

		terminator.terminate().get(5, TimeUnit.SECONDS);

		TestObservationRegistryAssert.assertThat(observations)
			.hasSingleObservationThat()
			.hasNameEqualTo("terminator.termination")
			.hasContextualNameEqualTo("terminate web server")
			.hasBeenStopped()
			.hasLowCardinalityKeyValue("server", "web server")
			.hasLowCardinalityKeyValue("outcome", "drained");
		assertThat(events.names()).containsExactly("lame-duck.started", "lame-duck.ended", "drain.started",
				"drain.finished");
		assertThat(events.contextualNames()).containsExactly("lame duck started", "lame duck ended: elapsed",
				"drain started", "drain finished");
		TestObservationRegistryAssert.assertThat(observations)
			.hasSingleObservationThat()
			.isInstanceOfSatisfying(TerminationContext.class, (context) -> {
				assertThat(context.getLameDuck()).isNotNull();
				assertThat(context.getResult()).isNotNull();
			});
	}

	@Test
	void customConventionNamesTheObservation() throws Exception {
		HttpTerminator terminator = new HttpTerminator(
				new TerminatorSettings(Duration.ofSeconds(5), Duration.ZERO, Duration.ZERO));
		TestObservationRegistry observations = TestObservationRegistry.create();
		TerminationObservationConvention convention = new DefaultTerminationObservationConvention() {

			@Override
			public String getName() {
				return "shutdown";
			}

			@Override
			public KeyValues getLowCardinalityKeyValues(TerminationContext context) {
				return super.getLowCardinalityKeyValues(context).and("region", "test");
			}

		};
		terminator.addListener(new TerminationObservation(terminator, observations, convention));

		terminator.terminate().get(5, TimeUnit.SECONDS);

		TestObservationRegistryAssert.assertThat(observations)
			.hasSingleObservationThat()
			.hasNameEqualTo("shutdown")
			.hasBeenStopped()
			.hasLowCardinalityKeyValue("region", "test")
			.hasLowCardinalityKeyValue("outcome", "drained");
	}

	@Test
	void handlerThatFailsOnEveryEventLeavesTheTerminationAndTheObservationsStop() throws Exception {
		HttpTerminator terminator = new HttpTerminator(
				new TerminatorSettings(Duration.ofSeconds(5), DELAY, Duration.ZERO));
		TestObservationRegistry observations = TestObservationRegistry.create();
		observations.observationConfig().observationHandler(new ObservationHandler<>() {

			@Override
			public void onEvent(Observation.Event event, Observation.Context context) {
				throw new IllegalStateException("handler failed on " + event.getName());
			}

			@Override
			public boolean supportsContext(Observation.Context context) {
				return true;
			}

		});
		terminator.addListener(new TerminationObservation(terminator, observations));

		DrainResult result = terminator.terminate().get(5, TimeUnit.SECONDS);

		assertThat(result.outcome()).isEqualTo(DrainResult.Outcome.DRAINED);
		TestObservationRegistryAssert.assertThat(observations)
			.hasSingleObservationThat()
			.hasBeenStopped()
			.hasLowCardinalityKeyValue("outcome", "drained");
	}

}
