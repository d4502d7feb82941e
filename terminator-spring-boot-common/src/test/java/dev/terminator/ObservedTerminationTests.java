package dev.terminator;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import dev.terminator.testsupport.Container;
import dev.terminator.testsupport.ReactiveServer;
import dev.terminator.testsupport.ReactiveTestServer;
import dev.terminator.testsupport.TerminationObservations;
import dev.terminator.testsupport.TestServer;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The observation of a termination, through the application's own
 * {@link ObservationRegistry} (Spring Boot's, with Actuator), on every server of the
 * line, on Spring MVC and on WebFlux.
 */
class ObservedTerminationTests {

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.testsupport.Container#supported")
	void terminationIsObservedOnceWithItsSteps(Container container) throws Exception {
		try (TestServer server = TestServer.start(container, false, "terminator.shutdown-delay=100ms")) {
			TerminationObservations observations = observe(server.context());

			server.terminator().terminate().get(5, TimeUnit.SECONDS);

			assertThat(observations.steps()).containsExactly("start terminator.termination", "lame-duck.started",
					"lame-duck.ended", "drain.started", "drain.finished", "stop terminator.termination");
			assertKeyValues(observations, container.name());
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.testsupport.ReactiveServer#supported")
	void reactiveTerminationIsObservedOnceWithItsSteps(ReactiveServer reactiveServer) throws Exception {
		try (ReactiveTestServer server = ReactiveTestServer.start(reactiveServer, false)) {
			TerminationObservations observations = observe(server.context());

			server.terminator().drain(Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS);

			assertThat(observations.steps()).containsExactly("start terminator.termination", "drain.started",
					"drain.finished", "stop terminator.termination");
			assertKeyValues(observations, reactiveServer.name());
		}
	}

	private static TerminationObservations observe(ApplicationContext context) {
		TerminationObservations observations = new TerminationObservations();
		context.getBean(ObservationRegistry.class).observationConfig().observationHandler(observations);
		return observations;
	}

	private static void assertKeyValues(TerminationObservations observations, String server) {
		assertThat(observations.stopped()).singleElement()
			.satisfies((context) -> assertThat(context.getLowCardinalityKeyValues()).containsExactlyInAnyOrder(
					KeyValue.of("server", server.toLowerCase(Locale.ROOT)), KeyValue.of("outcome", "drained")));
	}

}
