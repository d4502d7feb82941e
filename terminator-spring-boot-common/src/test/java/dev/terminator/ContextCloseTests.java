package dev.terminator;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import dev.terminator.core.DrainResult;
import dev.terminator.core.HttpTerminator;
import dev.terminator.testsupport.Container;
import dev.terminator.testsupport.RawConnection;
import dev.terminator.testsupport.RawConnection.Response;
import dev.terminator.testsupport.TestEndpoints;
import dev.terminator.testsupport.TestServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The drain as the application runs it: when its context closes, whatever
 * {@code server.shutdown} says, and within a lifecycle phase timeout of its own.
 */
class ContextCloseTests {

	static Stream<Arguments> containersAndShutdownModes() {
		return Container.supported()
			.flatMap((container) -> Stream.of(Arguments.of(container, "graceful"),
					Arguments.of(container, "immediate")));
	}

	@ParameterizedTest(name = "{0} server.shutdown={1}")
	@MethodSource("containersAndShutdownModes")
	void contextCloseDrainsIdleConnectionsAndFinishesTheRequestInFlight(Container container, String shutdown)
			throws Exception {
		try (TestServer server = TestServer.start(container, false, "server.shutdown=" + shutdown,
				"terminator.quiet-period=0s",
				// Shorter than the request in flight: the terminator's phase must get a
				// timeout of its own.
				"spring.lifecycle.timeout-per-shutdown-phase=1s")) {
			HttpTerminator terminator = server.terminator();
			TestEndpoints endpoints = server.context().getBean(TestEndpoints.class);
			RawConnection idle = server.connect();
			assertThat(idle.get("/hello").asksToClose()).isFalse();
			RawConnection held = server.connect();
			held.send("GET", "/held", null);
			await()
				.until(() -> terminator.connections().activeCount() == 1 && terminator.connections().idleCount() == 1);

			CompletableFuture<Void> close = CompletableFuture.runAsync(server::shutDown);
			assertThat(idle.awaitClosed(Duration.ofSeconds(1))).isTrue();
			// Past the 1 s phase timeout, the request is still in flight and the context
			// still closing.
			await().during(Duration.ofMillis(1500))
				.atMost(Duration.ofSeconds(5))
				.until(() -> !close.isDone() && endpoints.heldInFlight() == 1);
			endpoints.releaseHeld();
			Response response = held.readResponse();
			close.get();

			assertThat(response.status()).isEqualTo(200);
			assertThat(response.body()).isEqualTo("held");
			assertThat(response.asksToClose()).isTrue();
			DrainResult result = terminator.drainResult();
			assertThat(result).isNotNull();
			assertThat(List.of(result.idleClosed(), result.completed(), result.forced())).containsExactly(1, 1, 0);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.testsupport.Container#supported")
	void handlerStillRunningAfterTheCutDoesNotHoldUpTheStop(Container container) throws Exception {
		try (TestServer server = TestServer.start(container, false, "server.shutdown=graceful", "terminator.timeout=1s",
				"terminator.quiet-period=0s")) {
			HttpTerminator terminator = server.terminator();
			TestEndpoints endpoints = server.context().getBean(TestEndpoints.class);
			try {
				RawConnection stuck = server.connect();
				// Released only once the context is closed: until then nothing but an
				// interrupt ends the handler.
				stuck.send("GET", "/held", null);
				await().until(() -> terminator.connections().activeCount() == 1);

				long start = System.nanoTime();
				server.shutDown();
				Duration took = Duration.ofNanos(System.nanoTime() - start);

				assertThat(stuck.awaitClosed(Duration.ofSeconds(1))).isTrue();
				assertThat(terminator.drainResult().forced()).isEqualTo(1);
				// Spring Boot's graceful step would otherwise wait for the handler for
				// its whole phase timeout (30 s).
				assertThat(took).isLessThan(Duration.ofSeconds(15));
			}
			finally {
				endpoints.releaseHeld();
			}
		}
	}

}
