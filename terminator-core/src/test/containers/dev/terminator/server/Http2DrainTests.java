package dev.terminator.server;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.terminator.core.DrainResult;
import dev.terminator.core.HttpTerminator;
import dev.terminator.core.TerminatorState;
import dev.terminator.testsupport.RawHttp2Connection;
import dev.terminator.testsupport.RawHttp2Connection.GoAway;
import dev.terminator.testsupport.RawHttp2Connection.Response;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.H2AsyncClientBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.http.HttpVersion;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * HTTP/2 on every bare container, over TLS (ALPN) and as h2c with prior knowledge: GOAWAY
 * when the drain begins, streams in flight complete, connections close once their streams
 * have ended, and no {@code Connection} header, forbidden in HTTP/2, is ever sent. The
 * raw connection never closes by itself, so its close is the server's.
 */
@Timeout(60)
class Http2DrainTests {

	private static final long REFUSED_STREAM = 0x7;

	private static final long CANCEL = 0x8;

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.server.ServerKind#all")
	void idleConnectionGetsGoAwayAndIsClosedWhenTheDrainBegins(ServerKind kind) throws Exception {
		try (BareServer server = kind.start((options) -> options.withHttp2()
			.withQuietPeriod(Duration.ofSeconds(2))
			.withTimeout(Duration.ofSeconds(10))); RawHttp2Connection connection = RawHttp2Connection.open(server)) {
			int hello = connection.get("/hello");
			await().until(() -> connection.response(hello) != null);
			assertThat(connection.response(hello).status()).isEqualTo(200);
			HttpTerminator terminator = server.terminator();
			await().until(() -> terminator.connections().openCount() == 1);
			// Control frames on an idle connection (PINGs, acknowledgements) are no
			// request.
			connection.ping();
			await().until(() -> connection.pingAcks() == 1);

			CompletableFuture<DrainResult> drain = terminator.terminate();

			if (kind.container().closesHttp2ConnectionsWithGoAway()) {
				// Both GOAWAYs at once, without waiting for the quiet period.
				await().atMost(Duration.ofSeconds(1)).until(() -> connection.goAways().size() >= 2);
				assertGoAways(connection.goAways(), hello);
				await().atMost(Duration.ofSeconds(3)).until(connection::isClosedByServer);
				DrainResult result = drain.get(1, TimeUnit.SECONDS);
				assertThat(result.forced()).isZero();
				assertThat(result.idleClosed() + result.completed()).isEqualTo(1);
			}
			else {
				// Undertow: the drain stops waiting for the idle connection once the
				// quiet period has passed, but can neither send GOAWAY nor close it; the
				// container's stop closes it.
				DrainResult result = drain.get(5, TimeUnit.SECONDS);
				assertThat(List.of(result.idleClosed(), result.completed(), result.forced())).containsExactly(1, 0, 0);
				assertThat(connection.isClosedByServer()).isFalse();
				server.stop();
				await().atMost(Duration.ofSeconds(2)).until(connection::isClosedByServer);
				assertThat(connection.goAways()).isEmpty();
			}
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.server.ServerKind#all")
	void streamInFlightCompletesAndItsConnectionClosesWhenItEnds(ServerKind kind) throws Exception {
		try (BareServer server = kind
			.start((options) -> options.withHttp2().withQuietPeriod(Duration.ZERO).withTimeout(Duration.ofSeconds(10)));
				RawHttp2Connection connection = RawHttp2Connection.open(server)) {
			HttpTerminator terminator = server.terminator();
			int slow = connection.get("/held");
			await().until(() -> server.servlet().heldInFlight() == 1);

			CompletableFuture<Void> close = CompletableFuture.runAsync(() -> shutDown(server));

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
			server.servlet().releaseHeld();
			await().atMost(Duration.ofSeconds(5)).until(() -> connection.response(slow) != null);
			Response response = connection.response(slow);
			assertThat(response.resetCode()).isEqualTo(-1);
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.body()).isEqualTo("held");
			await().atMost(Duration.ofSeconds(2)).until(connection::isClosedByServer);
			close.get(15, TimeUnit.SECONDS);
			Duration took = Duration.ofNanos(System.nanoTime() - released);

			if (kind.container().closesHttp2ConnectionsWithGoAway()) {
				// Served, and named by the final GOAWAY; or not processed, and above the
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

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.server.ServerKind#all")
	void streamStillRunningAtTheTimeoutIsCut(ServerKind kind) throws Exception {
		try (BareServer server = kind
			.start((options) -> options.withHttp2().withQuietPeriod(Duration.ZERO).withTimeout(Duration.ofSeconds(1)));
				RawHttp2Connection connection = RawHttp2Connection.open(server)) {
			int stuck = connection.get("/slow?millis=10000");
			await().until(() -> server.servlet().slowInFlight() == 1);

			DrainResult result = server.terminator().terminate().get(5, TimeUnit.SECONDS);

			assertThat(result.forced()).isEqualTo(1);
			// Reported closed when cut: the drain does not wait for the grace given to
			// closes that never come.
			assertThat(result.duration()).isLessThan(Duration.ofMillis(1000 + 1000));
			if (kind.container().closesHttp2ConnectionsWithGoAway()) {
				await().atMost(Duration.ofSeconds(1)).until(connection::isClosedByServer);
			}
			else {
				// Undertow cannot close the connection: it resets the stream (RST_STREAM
				// CANCEL).
				await().atMost(Duration.ofSeconds(1)).until(() -> connection.response(stuck) != null);
				assertThat(connection.response(stuck).resetCode()).isEqualTo(CANCEL);
			}
			Response response = connection.response(stuck);
			assertThat(response == null || response.status() != 200).as("cut: %s", response).isTrue();
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.server.ServerKind#all")
	void requestInFlightFinishesWithoutConnectionHeader(ServerKind kind) throws Exception {
		try (BareServer server = kind
			.start((options) -> options.withHttp2().withQuietPeriod(Duration.ZERO).withTimeout(Duration.ofSeconds(10)));
				CloseableHttpAsyncClient client = http2Client(server)) {
			client.start();
			SimpleHttpResponse warmUp = client.execute(SimpleRequestBuilder.get(server.uri("/hello")).build(), null)
				.get(10, TimeUnit.SECONDS);
			assertThat(warmUp.getVersion()).isEqualTo(HttpVersion.HTTP_2);

			Future<SimpleHttpResponse> slow = client.execute(SimpleRequestBuilder.get(server.uri("/held")).build(),
					null);
			await().until(() -> server.servlet().heldInFlight() == 1);
			CompletableFuture<DrainResult> drain = server.terminator().terminate();
			await().until(() -> server.terminator().state() != TerminatorState.RUNNING);
			server.servlet().releaseHeld();

			SimpleHttpResponse response = slow.get(10, TimeUnit.SECONDS);
			assertThat(response.getCode()).isEqualTo(200);
			assertThat(response.getBodyText()).isEqualTo("held");
			assertThat(response.getVersion()).isEqualTo(HttpVersion.HTTP_2);
			assertThat(response.getHeaders("Connection")).isEmpty();
			DrainResult result = drain.get(15, TimeUnit.SECONDS);
			assertThat(result.duration()).isLessThan(Duration.ofSeconds(10));
			assertThat(result.forced()).isZero();
		}
	}

	private static void shutDown(BareServer server) {
		try {
			server.shutDown();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	// Apache's h2 client: ALPN over TLS, prior knowledge over plain text.
	private static CloseableHttpAsyncClient http2Client(BareServer server) {
		H2AsyncClientBuilder builder = H2AsyncClientBuilder.create();
		if (server.isTls()) {
			builder.setTlsStrategy(ClientTlsStrategyBuilder.create().setSslContext(server.clientTls()).buildAsync());
		}
		return builder.build();
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
