package dev.terminator.micrometer;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.terminator.core.DrainResult;
import dev.terminator.server.BareServer;
import dev.terminator.server.ServerKind;
import dev.terminator.testsupport.RawConnection;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The observation of a bare container's termination, seen by Micrometer's test registry:
 * one per termination, its key values, and its events in order.
 */
@Timeout(60)
class TerminationObservationTests {

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.server.ServerKind#plain")
	void drainThatClosesAnIdleConnectionIsObservedOnceAndTimedOnce(ServerKind kind) throws Exception {
		try (BareServer server = kind.start((options) -> options.withQuietPeriod(Duration.ZERO))) {
			SimpleMeterRegistry meters = new SimpleMeterRegistry();
			new TerminatorMetrics(server.terminator()).bindTo(meters);
			TestObservationRegistry observations = TestObservationRegistry.create();
			RecordedEvents events = new RecordedEvents();
			observations.observationConfig()
				.observationHandler(events)
				.observationHandler(new DefaultMeterObservationHandler(meters));
			server.terminator().addListener(new TerminationObservation(server.terminator(), observations));
			RawConnection idle = idle(server);

			server.terminator().terminate().get(10, TimeUnit.SECONDS);
			// Joins the same drain: no second observation.
			server.terminator().terminate().get(10, TimeUnit.SECONDS);
			// Used after the drain so that it stays reachable: the JDK closes a Socket
			// the
			// GC collected, and the server would count a close by the client.
			assertThat(idle.awaitClosed(Duration.ofSeconds(2))).isTrue();

			TestObservationRegistryAssert.assertThat(observations)
				.hasSingleObservationThat()
				.hasNameEqualTo("terminator.termination")
				.hasContextualNameEqualTo("terminate " + kind.container().name())
				.hasBeenStarted()
				.hasBeenStopped()
				.hasLowCardinalityKeyValue("server", kind.container().name())
				.hasLowCardinalityKeyValue("outcome", "drained");
			assertThat(events.names()).containsExactly("drain.started", "idle-connections.closed", "drain.finished");
			// The observation's own timer, and the drain's timer recorded once.
			assertThat(meters.get("terminator.termination")
				.tag("server", kind.container().name())
				.tag("outcome", "drained")
				.timer()
				.count()).isEqualTo(1);
			assertThat(meters.get("terminator.drain").tag("outcome", "drained").timer().count()).isEqualTo(1);
			assertThat(meters.get("terminator.drain").tag("outcome", "forced").timer().count()).isZero();
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.server.ServerKind#plain")
	void drainThatCutsAStuckRequestIsObservedAsForced(ServerKind kind) throws Exception {
		try (BareServer server = kind
			.start((options) -> options.withQuietPeriod(Duration.ZERO).withTimeout(Duration.ofMillis(300)))) {
			TestObservationRegistry observations = TestObservationRegistry.create();
			RecordedEvents events = new RecordedEvents();
			observations.observationConfig().observationHandler(events);
			server.terminator().addListener(new TerminationObservation(server.terminator(), observations));
			RawConnection stuck = active(server);
			RawConnection idle = idle(server);

			DrainResult result = server.terminator().terminate().get(10, TimeUnit.SECONDS);
			assertThat(stuck.awaitClosed(Duration.ofSeconds(2))).isTrue();
			assertThat(idle.awaitClosed(Duration.ofSeconds(2))).isTrue();

			assertThat(result.forced()).isEqualTo(1);
			TestObservationRegistryAssert.assertThat(observations)
				.hasSingleObservationThat()
				.hasBeenStopped()
				.hasLowCardinalityKeyValue("server", kind.container().name())
				.hasLowCardinalityKeyValue("outcome", "forced");
			assertThat(events.names()).containsExactly("drain.started", "idle-connections.closed", "connections.cut",
					"drain.finished");
			assertThat(events.contextualNames()).contains("1 connection(s) cut");
		}
	}

	// A connection that served one request and now waits, idle, for the next.
	private static RawConnection idle(BareServer server) throws IOException {
		int idleBefore = server.terminator().connections().idleCount();
		RawConnection connection = server.connect();
		assertThat(connection.get("/hello").body()).isEqualTo("hello");
		await().until(() -> server.terminator().connections().idleCount() == idleBefore + 1);
		return connection;
	}

	// A connection with a request in flight: its body never completes.
	private static RawConnection active(BareServer server) throws IOException {
		int activeBefore = server.terminator().connections().activeCount();
		RawConnection connection = server.connect();
		connection.sendRaw("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\n"
				+ "Content-Length: 5\r\n\r\nab");
		await().until(() -> server.terminator().connections().activeCount() == activeBefore + 1);
		return connection;
	}

}
