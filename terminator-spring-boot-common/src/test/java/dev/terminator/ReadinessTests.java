package dev.terminator;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.terminator.core.TerminatorState;
import dev.terminator.testsupport.Container;
import dev.terminator.testsupport.TestServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Readiness follows a termination started from code, with or without a lame-duck delay;
 * liveness never changes.
 */
class ReadinessTests {

	@ParameterizedTest
	@MethodSource("dev.terminator.testsupport.Container#supported")
	void lameDuckDelayRefusesTrafficWhileStillServing(Container container) throws Exception {
		try (TestServer server = TestServer.start(container, false, "terminator.shutdown-delay=2s")) {
			ApplicationAvailability availability = server.context().getBean(ApplicationAvailability.class);
			assertThat(availability.getReadinessState()).isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);

			server.terminator().terminate();
			await().until(() -> availability.getReadinessState() == ReadinessState.REFUSING_TRAFFIC);
			assertThat(server.terminator().state()).isEqualTo(TerminatorState.DELAYING);
			assertThat(availability.getLivenessState()).isEqualTo(LivenessState.CORRECT);
			try (var connection = server.connect()) {
				var response = connection.get("/hello");
				assertThat(response.body()).isEqualTo("hello");
				assertThat(response.asksToClose()).isTrue();
			}
		}
	}

	@ParameterizedTest
	@MethodSource("dev.terminator.testsupport.Container#supported")
	void drainWithoutDelayRefusesTraffic(Container container) throws Exception {
		try (TestServer server = TestServer.start(container, false)) {
			ApplicationAvailability availability = server.context().getBean(ApplicationAvailability.class);
			server.terminator().drain(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
			assertThat(availability.getReadinessState()).isEqualTo(ReadinessState.REFUSING_TRAFFIC);
			assertThat(availability.getLivenessState()).isEqualTo(LivenessState.CORRECT);
		}
	}

}
