package dev.terminator;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.terminator.core.DrainResult;
import dev.terminator.core.TerminatorState;
import dev.terminator.testsupport.RawConnection;
import dev.terminator.testsupport.RawConnection.Response;
import dev.terminator.testsupport.ServerKind;
import dev.terminator.testsupport.TestEndpoints;
import dev.terminator.testsupport.TestServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A handler that ignores interruption cannot hold an application's shutdown hostage: on
 * every container, it is cut at {@code terminator.timeout}, the drain and the
 * application's stop finish, and a well-behaved request on another connection is served
 * all the same. The other fault cases (slowloris, a client that never reads) are
 * terminator-core's ({@code dev.terminator.server.FaultCaseTests}), on every container of
 * both generations, plain and TLS.
 */
class FaultCaseTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(1);

	private static final String[] PROPERTIES = { "terminator.quiet-period=0s",
			"terminator.timeout=" + TIMEOUT.toMillis() + "ms" };

	/**
	 * Earliest a cut may come: the timeout, less scheduling jitter.
	 */
	private static final Duration EARLIEST_CUT = TIMEOUT.minusMillis(100);

	/**
	 * Latest a cut may come: the timeout plus the grace force-closed connections get to
	 * report their close, plus slack for a loaded machine.
	 */
	private static final Duration LATEST_CUT = TIMEOUT.plusSeconds(3);

	/**
	 * A coarse bound on closing the application context once the drain is over, far below
	 * Spring Boot's 30 s phase timeout: Boot's graceful phase, capped by terminator once
	 * the drain is over, then the container's own stop, which gives worker threads still
	 * busy in a handler a few seconds.
	 */
	private static final Duration STOP_BOUND = Duration.ofSeconds(15);

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.testsupport.ServerKind#plain")
	void handlerThatIgnoresInterruptionIsCutAtTheTimeout(ServerKind kind) throws Exception {
		try (TestServer server = kind.start(PROPERTIES)) {
			TestEndpoints endpoints = server.context().getBean(TestEndpoints.class);
			try {
				RawConnection stuck = server.connect();
				stuck.send("GET", "/uninterruptible", null);
				await().until(() -> server.terminator().connections().activeCount() == 1);
				RawConnection other = server.connect();
				assertThat(other.get("/hello").body()).as("served beside the stuck handler").isEqualTo("hello");

				Drain drain = Drain.start(server, other);
				assertThat(stuck.awaitClosed(LATEST_CUT.plusSeconds(1))).as("stuck connection closed").isTrue();
				Duration closedAfter = drain.elapsed();

				drain.assertOtherRequestServed();
				DrainResult result = drain.result();
				assertThat(closedAfter).as("stuck connection cut at the timeout").isBetween(EARLIEST_CUT, LATEST_CUT);
				assertThat(result.forced()).isEqualTo(1);
				assertThat(result.outcome()).isEqualTo(DrainResult.Outcome.FORCED);
				// The handler is still stuck: the application must stop all the same.
				assertStopsWithinBound(server);
			}
			finally {
				endpoints.releaseUninterruptible();
			}
		}
	}

	private static void assertStopsWithinBound(TestServer server) throws Exception {
		// A TimeoutException fails the test: the context took longer to close.
		CompletableFuture.runAsync(server::shutDown).get(STOP_BOUND.toMillis(), TimeUnit.MILLISECONDS);
		assertThat(server.context().isActive()).isFalse();
	}

	/**
	 * A drain begun while a well-behaved request is in flight on another connection.
	 */
	private static final class Drain {

		private final long startNanos;

		private final CompletableFuture<DrainResult> result;

		private final RawConnection other;

		private Drain(long startNanos, CompletableFuture<DrainResult> result, RawConnection other) {
			this.startNanos = startNanos;
			this.result = result;
			this.other = other;
		}

		static Drain start(TestServer server, RawConnection other) throws Exception {
			TestEndpoints endpoints = server.context().getBean(TestEndpoints.class);
			other.send("GET", "/held", null);
			// Inside the handler, so surely active: an idle connection would be closed
			// under a request still on its way (the quiet period, which protects such
			// requests, is zero here).
			await().pollDelay(Duration.ZERO)
				.pollInterval(Duration.ofMillis(5))
				.until(() -> endpoints.heldInFlight() == 1);
			Drain drain = new Drain(System.nanoTime(), server.terminator().terminate(), other);
			// In flight when the drain began, it then finishes well inside the timeout.
			await().until(() -> server.terminator().state() == TerminatorState.DRAINING);
			endpoints.releaseHeld();
			return drain;
		}

		Duration elapsed() {
			return Duration.ofNanos(System.nanoTime() - this.startNanos);
		}

		void assertOtherRequestServed() throws Exception {
			Response response = this.other.readResponse();
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.body()).isEqualTo("held");
			assertThat(response.asksToClose()).isTrue();
			assertThat(this.other.awaitClosed(Duration.ofSeconds(2))).isTrue();
		}

		DrainResult result() throws Exception {
			DrainResult drainResult = this.result.get(LATEST_CUT.plusSeconds(2).toMillis(), TimeUnit.MILLISECONDS);
			assertThat(drainResult.completed()).as("the other connection completed").isEqualTo(1);
			assertThat(drainResult.duration()).isLessThan(LATEST_CUT);
			return drainResult;
		}

	}

}
