package dev.terminator.micrometer;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.terminator.core.DrainResult;
import dev.terminator.testsupport.Connections;
import dev.terminator.testsupport.Container;
import dev.terminator.testsupport.RawConnection;
import dev.terminator.testsupport.ServerKind;
import dev.terminator.testsupport.TestServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The meters on real servers, read from a {@link SimpleMeterRegistry}: before, during and
 * after a drain.
 */
class TerminatorMetricsTests {

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.testsupport.ServerKind#plain")
	void metersFollowTheConnectionsBeforeDuringAndAfterTheDrain(ServerKind kind) throws Exception {
		try (TestServer server = kind.start("terminator.quiet-period=0s")) {
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			new TerminatorMetrics(server.terminator()).bindTo(registry);
			List<RawConnection> idle = Connections.idle(server, 3);
			List<RawConnection> active = Connections.active(server, 2);

			assertConnections(registry, 3, 2);
			assertClosed(registry, 0, 0, 0);
			assertThat(drainTimer(registry, "drained").count()).isZero();
			assertThat(drainTimer(registry, "forced").count()).isZero();

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

			Connections.release(active.get(0));
			await().untilAsserted(() -> {
				assertConnections(registry, 0, 1);
				assertClosed(registry, 3, 1, 0);
			});

			Connections.release(active.get(1));
			DrainResult result = drain.get(10, TimeUnit.SECONDS);
			assertConnections(registry, 0, 0);
			assertClosed(registry, 3, 2, 0);
			Timer drained = drainTimer(registry, "drained");
			assertThat(drained.count()).isEqualTo(1);
			assertThat((long) drained.totalTime(TimeUnit.NANOSECONDS)).isEqualTo(result.duration().toNanos());
			assertThat(drainTimer(registry, "forced").count()).isZero();

			// The auto-configured binder feeds the application's own registry the same
			// way.
			MeterRegistry applicationRegistry = server.context().getBean(MeterRegistry.class);
			assertClosed(applicationRegistry, 3, 2, 0);
			assertThat(drainTimer(applicationRegistry, "drained").count()).isEqualTo(1);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.testsupport.Container#supported")
	void closedBinderRecordsNoDrain(Container container) throws Exception {
		try (TestServer server = TestServer.start(container, false, "terminator.quiet-period=0s")) {
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			SimpleMeterRegistry other = new SimpleMeterRegistry();
			TerminatorMetrics metrics = new TerminatorMetrics(server.terminator());
			metrics.bindTo(registry);
			metrics.bindTo(other);
			List<RawConnection> idle = Connections.idle(server, 1);

			metrics.close();
			server.terminator().terminate().get(10, TimeUnit.SECONDS);
			// Used after the drain so that it stays reachable: the JDK closes a Socket
			// the GC collected, and the server would count a close by the client.
			assertThat(idle.get(0).awaitClosed(Duration.ofSeconds(2))).isTrue();

			assertThat(drainTimer(registry, "drained").count()).isZero();
			assertThat(drainTimer(other, "drained").count()).isZero();
			// The meters read the terminator's counters: still there, and right.
			assertClosed(registry, 1, 0, 0);
			// The binder the application did not close still records.
			assertThat(drainTimer(server.context().getBean(MeterRegistry.class), "drained").count()).isEqualTo(1);
		}
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

	private static Timer drainTimer(MeterRegistry registry, String outcome) {
		return registry.get("terminator.drain").tag("outcome", outcome).timer();
	}

}
