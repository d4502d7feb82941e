package dev.terminator;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terminator.core.DrainResult;
import dev.terminator.core.LameDuck;
import dev.terminator.core.TerminatorState;
import dev.terminator.testsupport.Connections;
import dev.terminator.testsupport.Container;
import dev.terminator.testsupport.LameDuckTraffic;
import dev.terminator.testsupport.RawConnection;
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
 * liveness never changes. The adaptive lame duck ends once the traffic has stopped, and
 * the endpoint shows it.
 */
class ReadinessTests {

	private static final Duration MAXIMUM = Duration.ofSeconds(10);

	private static final Duration QUIET_TIME = Duration.ofMillis(400);

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

	@ParameterizedTest
	@MethodSource("dev.terminator.testsupport.Container#supported")
	void adaptiveLameDuckEndsOnceNothingNewArrivesCountingWhatDid(Container container) throws Exception {
		try (TestServer server = TestServer.start(container, false,
				"terminator.shutdown-delay=" + MAXIMUM.toSeconds() + "s", "terminator.adaptive-delay.enabled=true",
				"terminator.adaptive-delay.quiet-time=" + QUIET_TIME.toMillis() + "ms",
				"terminator.adaptive-delay.minimum=500ms", "terminator.quiet-period=0s", "management.server.port=0",
				"management.server.address=127.0.0.1", "management.endpoints.web.exposure.include=terminator")) {
			List<RawConnection> keepAlive = Connections.idle(server, 2);
			// On a port of its own: reading the endpoint is no traffic of the
			// application's.
			RawConnection management = RawConnection.open(managementPort(server), null);

			CompletableFuture<DrainResult> drain = server.terminator().terminate();
			LameDuckTraffic traffic = LameDuckTraffic.send(server, keepAlive, Duration.ofSeconds(1),
					Duration.ofMillis(50));
			JsonNode during = Connections.getJson(management, "/actuator/terminator");
			if (during.get("state").asText().equals("DELAYING")) {
				JsonNode lameDuck = during.get("lameDuck");
				assertThat(lameDuck.get("endedAt").isNull()).as("live lameDuck in %s", during).isTrue();
				assertThat(lameDuck.get("end").isNull()).isTrue();
				assertThat(lameDuck.get("requests").asInt()).isEqualTo(traffic.requests());
				assertThat(lameDuck.get("newConnections").asInt()).isEqualTo(traffic.newConnections());
			}

			DrainResult result = drain.get(MAXIMUM.toSeconds(), TimeUnit.SECONDS);
			LameDuck lameDuck = server.terminator().lameDuck();
			assertThat(lameDuck).isNotNull();
			traffic.assertEndedQuietAfterIt(lameDuck, QUIET_TIME, MAXIMUM);
			assertThat(result.timeline().lameDuck()).isEqualTo(lameDuck);
			assertThat(result.timeline().drainStartedAt()).isAfterOrEqualTo(lameDuck.endedAt());
			JsonNode after = Connections.getJson(management, "/actuator/terminator");
			LameDuckTraffic.assertShown(after, lameDuck);
			assertThat(after.get("adaptiveDelay").get("quietTime").asText()).isEqualTo("PT0.4S");
			assertThat(after.get("adaptiveDelay").get("minimum").asText()).isEqualTo("PT0.5S");
			assertThat(after.get("drain").get("timeline").get("finishedAt").asText())
				.isEqualTo(result.timeline().finishedAt().toString());
		}
	}

	private static int managementPort(TestServer server) {
		Integer port = server.context().getEnvironment().getProperty("local.management.port", Integer.class);
		assertThat(port).as("management port").isNotNull().isNotEqualTo(server.port());
		return port;
	}

}
