package dev.terminator;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.terminator.core.DrainResult;
import dev.terminator.core.HttpTerminator;
import dev.terminator.core.TerminatorState;
import dev.terminator.testsupport.RawHttp2Connection;
import dev.terminator.testsupport.RawHttp2Connection.GoAway;
import dev.terminator.testsupport.RawHttp2Connection.Response;
import dev.terminator.testsupport.ServerKind;
import dev.terminator.testsupport.TestEndpoints;
import dev.terminator.testsupport.TestServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * HTTP/2 end to end in a Spring Boot application ({@code server.http2.enabled}), h2c with
 * prior knowledge, on every container: GOAWAY when the application's close begins, the
 * stream in flight completes, and the connection closes once it has ended. The raw
 * connection never closes by itself, as some clients do after GOAWAY, so its close is the
 * server's. The rest (idle connections, streams cut at the timeout, no {@code Connection}
 * header, h2 over TLS) is terminator-core's
 * ({@code dev.terminator.server.Http2DrainTests}).
 */
class Http2Tests {

	private static final long REFUSED_STREAM = 0x7;

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.testsupport.ServerKind#plain")
	void streamInFlightCompletesAndItsConnectionClosesWhenItEnds(ServerKind kind) throws Exception {
		try (TestServer server = kind.start("server.http2.enabled=true", "terminator.quiet-period=0s",
				"terminator.timeout=10s"); RawHttp2Connection connection = RawHttp2Connection.open(server)) {
			HttpTerminator terminator = server.terminator();
			int slow = connection.get("/held");
			TestEndpoints endpoints = server.context().getBean(TestEndpoints.class);
			await().until(() -> endpoints.heldInFlight() == 1);

			CompletableFuture<Void> close = CompletableFuture.runAsync(server::shutDown);

			int late = -1;
			if (kind.container().closesHttp2ConnectionsWithGoAway()) {
				await().atMost(Duration.ofSeconds(1)).until(() -> !connection.goAways().isEmpty());
				assertThat(connection.goAways().get(0).isGraceful()).isTrue();
				assertThat(connection.response(slow)).as("still in flight at the GOAWAY").isNull();
				// A stream the client opens after the graceful GOAWAY, as one already on
				// its way would be.
				late = connection.get("/hello");
			}
			await().until(() -> terminator.state() == TerminatorState.DRAINING);
			long released = System.nanoTime();
			endpoints.releaseHeld();
			await().atMost(Duration.ofSeconds(5)).until(() -> connection.response(slow) != null);
			Response response = connection.response(slow);
			assertThat(response.resetCode()).isEqualTo(-1);
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.body()).isEqualTo("held");
			await().atMost(Duration.ofSeconds(2)).until(connection::isClosedByServer);
			close.get(5, TimeUnit.SECONDS);
			Duration took = Duration.ofNanos(System.nanoTime() - released);

			if (kind.container().closesHttp2ConnectionsWithGoAway()) {
				// Served, and named by the final GOAWAY; or not processed (Tomcat refuses
				// new streams one round trip after its graceful GOAWAY), and above the
				// final GOAWAY's last stream id, so the client may retry it.
				Response lateResponse = connection.response(late);
				boolean served = lateResponse != null && lateResponse.status() == 200;
				assertGoAways(connection.goAways(), served ? late : slow);
				if (!served) {
					assertThat(lateResponse == null || lateResponse.resetCode() == REFUSED_STREAM)
						.as("late stream: %s", lateResponse)
						.isTrue();
				}
			}
			else {
				assertThat(connection.goAways()).isEmpty();
			}
			DrainResult result = terminator.drainResult();
			assertThat(result.forced()).isZero();
			assertThat(result.idleClosed() + result.completed()).isEqualTo(1);
			// Closed soon after the stream ends: neither at the drain timeout nor at a
			// keep-alive timeout.
			assertThat(took).isLessThan(Duration.ofMillis(2000));
		}
	}

	// A graceful GOAWAY first, the final one last naming the last stream served, all
	// NO_ERROR.
	private static void assertGoAways(List<GoAway> goAways, int lastStreamId) {
		assertThat(goAways).isNotEmpty().allSatisfy((goAway) -> assertThat(goAway.errorCode()).isZero());
		assertThat(goAways.get(0).isGraceful()).as("first GOAWAY graceful: %s", goAways).isTrue();
		assertThat(goAways.get(goAways.size() - 1).lastStreamId()).as("final GOAWAY: %s", goAways)
			.isEqualTo(lastStreamId);
	}

}
