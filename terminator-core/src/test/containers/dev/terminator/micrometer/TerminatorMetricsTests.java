package dev.terminator.micrometer;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.terminator.core.ConnectionCounts;
import dev.terminator.core.DrainResult;
import dev.terminator.core.HttpTerminator;
import dev.terminator.core.TerminatorSettings;
import dev.terminator.server.BareServer;
import dev.terminator.server.ServerKind;
import dev.terminator.testsupport.RawConnection;
import dev.terminator.testsupport.RawConnection.Response;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The meters of a bare container's terminator, read from a {@link SimpleMeterRegistry}:
 * before, during and after a drain.
 */
@Timeout(60)
class TerminatorMetricsTests {

	private static final String HELD_BODY_START = "ab";

	private static final String HELD_BODY_END = "cde";

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.server.ServerKind#plain")
	void metersFollowTheConnectionsBeforeDuringAndAfterTheDrain(ServerKind kind) throws Exception {
		try (BareServer server = kind.start((options) -> options.withQuietPeriod(Duration.ZERO))) {
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			new TerminatorMetrics(server.terminator()).bindTo(registry);
			List<RawConnection> idle = idle(server, 3);
			List<RawConnection> active = active(server, 2);

			assertConnections(registry, 3, 2);
			assertClosed(registry, 0, 0, 0);
			assertThat(drainTimer(registry, "drained").count()).isZero();
			assertThat(drainTimer(registry, "forced").count()).isZero();
			assertThat(seconds(registry, "terminator.drain.elapsed")).isZero();
			assertThat(seconds(registry, "terminator.drain.timeout"))
				.isEqualTo(seconds(server.terminator().settings().timeout()));

			Instant beforeDrain = Instant.now();
			CompletableFuture<DrainResult> drain = server.terminator().terminate();
			for (RawConnection connection : idle) {
				assertThat(connection.awaitClosed(Duration.ofSeconds(5))).isTrue();
			}
			// A closed connection leaves the gauges a moment before the drain counts it:
			// wait for both.
			await().untilAsserted(() -> {
				assertConnections(registry, 0, 2);
				assertClosed(registry, 3, 0, 0);
			});
			assertThat(drainTimer(registry, "drained").count()).isZero();
			// While it runs, the drain's elapsed time is readable, where the timer
			// records nothing yet.
			await().until(() -> seconds(registry, "terminator.drain.elapsed") > 0);
			assertThat(seconds(registry, "terminator.drain.elapsed"))
				.isLessThanOrEqualTo(seconds(Duration.between(beforeDrain, Instant.now())));

			release(active.get(0));
			await().untilAsserted(() -> {
				assertConnections(registry, 0, 1);
				assertClosed(registry, 3, 1, 0);
			});

			release(active.get(1));
			DrainResult result = drain.get(10, TimeUnit.SECONDS);
			assertConnections(registry, 0, 0);
			assertClosed(registry, 3, 2, 0);
			Timer drained = drainTimer(registry, "drained");
			assertThat(drained.count()).isEqualTo(1);
			assertThat((long) drained.totalTime(TimeUnit.NANOSECONDS)).isEqualTo(result.duration().toNanos());
			assertThat(drainTimer(registry, "forced").count()).isZero();
			assertThat(seconds(registry, "terminator.drain.elapsed")).isEqualTo(seconds(result.duration()));
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.server.ServerKind#plain")
	void drainTimerRecordsAForcedOutcome(ServerKind kind) throws Exception {
		try (BareServer server = kind
			.start((options) -> options.withQuietPeriod(Duration.ZERO).withTimeout(Duration.ofMillis(500)))) {
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			new TerminatorMetrics(server.terminator()).bindTo(registry);
			List<RawConnection> cut = active(server, 1);
			List<RawConnection> idle = idle(server, 1);

			DrainResult result = server.terminator().terminate().get(10, TimeUnit.SECONDS);
			// Used after the drain so that they stay reachable: the JDK closes a Socket
			// the GC collected, and the server would count a close by the client.
			assertThat(cut.get(0).awaitClosed(Duration.ofSeconds(2))).isTrue();
			assertThat(idle.get(0).awaitClosed(Duration.ofSeconds(2))).isTrue();
			assertThat(result.forced()).isEqualTo(1);
			assertClosed(registry, 1, 0, 1);
			assertThat(drainTimer(registry, "forced").count()).isEqualTo(1);
			assertThat(drainTimer(registry, "forced").totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(500);
			assertThat(drainTimer(registry, "drained").count()).isZero();
			assertThat(seconds(registry, "terminator.drain.timeout")).isEqualTo(0.5);
			assertThat(seconds(registry, "terminator.drain.elapsed")).isEqualTo(seconds(result.duration()))
				.isGreaterThanOrEqualTo(0.5);
		}
	}

	@Test
	void settingsGaugesShowTheConfiguredDurationsUntilADrainBringsItsOwnTimeout() throws Exception {
		HttpTerminator terminator = new HttpTerminator(
				new TerminatorSettings(Duration.ofSeconds(40), Duration.ofMillis(7500), Duration.ZERO));
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		new TerminatorMetrics(terminator).bindTo(registry);
		assertThat(seconds(registry, "terminator.drain.timeout")).isEqualTo(40);
		assertThat(seconds(registry, "terminator.shutdown.delay")).isEqualTo(7.5);
		assertThat(registry.get("terminator.drain.timeout").gauge().getId().getBaseUnit()).isEqualTo("seconds");

		// A drain with a timeout of its own, as the endpoint's write operation starts
		// one.
		terminator.drain(Duration.ofSeconds(12)).get(10, TimeUnit.SECONDS);
		assertThat(seconds(registry, "terminator.drain.timeout")).isEqualTo(12);
		assertThat(seconds(registry, "terminator.shutdown.delay")).isEqualTo(7.5);
	}

	@Test
	void elapsedTimeOfARunningDrainIsReadOnTheBindersClock() throws Exception {
		try (BareServer server = ServerKind.plain()
			.findFirst()
			.orElseThrow()
			.start((options) -> options.withQuietPeriod(Duration.ZERO))) {
			List<RawConnection> active = active(server, 1);
			server.terminator().terminate();
			await().until(() -> server.terminator().drainProgress() != null);
			Instant startedAt = Objects.requireNonNull(server.terminator().drainProgress()).startedAt();
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			Clock aMinuteIn = Clock.fixed(startedAt.plusSeconds(60), ZoneOffset.UTC);
			new TerminatorMetrics(server.terminator(), aMinuteIn).bindTo(registry);

			assertThat(seconds(registry, "terminator.drain.elapsed")).isCloseTo(60, within(1e-9));
			release(active.get(0));
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.server.ServerKind#plain")
	void closedBinderRecordsNoDrain(ServerKind kind) throws Exception {
		try (BareServer server = kind.start((options) -> options.withQuietPeriod(Duration.ZERO))) {
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			SimpleMeterRegistry other = new SimpleMeterRegistry();
			TerminatorMetrics metrics = new TerminatorMetrics(server.terminator());
			metrics.bindTo(registry);
			metrics.bindTo(other);
			SimpleMeterRegistry stillBound = new SimpleMeterRegistry();
			new TerminatorMetrics(server.terminator()).bindTo(stillBound);
			List<RawConnection> idle = idle(server, 1);

			metrics.close();
			server.terminator().terminate().get(10, TimeUnit.SECONDS);
			// Used after the drain so that it stays reachable: the JDK closes a Socket
			// the GC collected, and the server would count a close by the client.
			assertThat(idle.get(0).awaitClosed(Duration.ofSeconds(2))).isTrue();

			assertThat(drainTimer(registry, "drained").count()).isZero();
			assertThat(drainTimer(other, "drained").count()).isZero();
			// The meters read the terminator's counters: still there, and right.
			assertClosed(registry, 1, 0, 0);
			// A binder nobody closed still records.
			assertThat(drainTimer(stillBound, "drained").count()).isEqualTo(1);
		}
	}

	// Connections that each served one request and now wait, idle, for the next.
	private static List<RawConnection> idle(BareServer server, int count) throws IOException {
		ConnectionCounts registry = server.terminator().connections();
		int idleBefore = registry.idleCount();
		List<RawConnection> connections = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			RawConnection connection = server.connect();
			assertThat(connection.get("/hello").body()).isEqualTo("hello");
			connections.add(connection);
		}
		await().until(() -> registry.idleCount() == idleBefore + count);
		return connections;
	}

	// Connections each with a request in flight until release sends the rest of its
	// body.
	private static List<RawConnection> active(BareServer server, int count) throws IOException {
		ConnectionCounts registry = server.terminator().connections();
		int activeBefore = registry.activeCount();
		List<RawConnection> connections = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			RawConnection connection = server.connect();
			connection.sendRaw("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nContent-Length: "
					+ (HELD_BODY_START.length() + HELD_BODY_END.length()) + "\r\n\r\n" + HELD_BODY_START);
			connections.add(connection);
		}
		await().until(() -> registry.activeCount() == activeBefore + count);
		return connections;
	}

	private static void release(RawConnection held) throws IOException {
		held.sendRaw(HELD_BODY_END);
		Response response = held.readResponse();
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).isEqualTo(HELD_BODY_START + HELD_BODY_END);
	}

	private static void assertConnections(MeterRegistry registry, int idle, int active) {
		assertThat(registry.get("terminator.connections").tag("state", "idle").gauge().value()).as("idle")
			.isEqualTo(idle);
		assertThat(registry.get("terminator.connections").tag("state", "active").gauge().value()).as("active")
			.isEqualTo(active);
	}

	private static void assertClosed(MeterRegistry registry, int idle, int completed, int forced) {
		assertThat(closed(registry, "idle")).as("closed idle").isEqualTo(idle);
		assertThat(closed(registry, "completed")).as("closed completed").isEqualTo(completed);
		assertThat(closed(registry, "forced")).as("closed forced").isEqualTo(forced);
	}

	private static double closed(MeterRegistry registry, String reason) {
		return registry.get("terminator.connections.closed").tag("reason", reason).functionCounter().count();
	}

	private static double seconds(MeterRegistry registry, String gauge) {
		return registry.get(gauge).gauge().value();
	}

	private static double seconds(Duration duration) {
		return duration.getSeconds() + duration.getNano() / 1e9;
	}

	private static Timer drainTimer(MeterRegistry registry, String outcome) {
		return registry.get("terminator.drain").tag("outcome", outcome).timer();
	}

}
