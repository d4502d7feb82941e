package dev.terminator;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terminator.core.DrainResult;
import dev.terminator.core.HttpTerminator;
import dev.terminator.core.LameDuck;
import dev.terminator.core.TerminatorState;
import dev.terminator.testsupport.Connections;
import dev.terminator.testsupport.LameDuckTraffic;
import dev.terminator.testsupport.RawConnection;
import dev.terminator.testsupport.RawConnection.Response;
import dev.terminator.testsupport.RawHttp2Connection;
import dev.terminator.testsupport.ReactiveServer;
import dev.terminator.testsupport.ReactiveTestEndpoints;
import dev.terminator.testsupport.ReactiveTestServer;
import dev.terminator.testsupport.ReactiveWebSocketEndpoints;
import dev.terminator.testsupport.WebSocketClient;
import dev.terminator.testsupport.WebSocketClient.Closed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The drain end to end in a WebFlux application, on every reactive server of the line,
 * one application start per group of behaviours: idle keep-alive connections closed after
 * the quiet period, the request in flight completed with {@code Connection: close}, a
 * streaming response ended cleanly at {@code terminator.async.end-after}, a WebSocket
 * session closed with 1001, new connections refused, a management server on a port of its
 * own left alone and serving the endpoint; HTTP/2 GOAWAY with the stream in flight
 * served; a stuck handler cut at the timeout, and the application closed right after; the
 * adaptive lame duck ended once the traffic stopped, counting what arrived.
 */
class ReactiveDrainTests {

	private static final int GOING_AWAY = 1001;

	private static final Duration QUIET_PERIOD = Duration.ofMillis(500);

	private static final Duration END_AFTER = Duration.ofMillis(300);

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.testsupport.ReactiveServer#supported")
	void idleClosedAfterTheQuietPeriodInFlightWithConnectionCloseStreamEndedWebSocketGoingAwayManagementPortLeftAlone(
			ReactiveServer kind) throws Exception {
		try (ReactiveTestServer server = ReactiveTestServer.start(kind, false,
				"terminator.quiet-period=" + QUIET_PERIOD.toMillis() + "ms", "terminator.timeout=10s",
				"terminator.async.end-after=" + END_AFTER.toMillis() + "ms", "management.server.port=0",
				"management.server.address=127.0.0.1", "management.endpoints.web.exposure.include=terminator")) {
			int port = server.port();
			RawConnection management = RawConnection.open(managementPort(server), null);
			// The management server's connection is not the application's.
			JsonNode before = Connections.getJson(management, "/actuator/terminator");
			assertThat(before.get("state").asText()).isEqualTo("RUNNING");
			assertThat(before.get("server").asText()).isEqualTo(kind.toString());
			Connections.assertCounts(before, 0, 0, 0);
			List<RawConnection> idle = List.of(server.connect(), server.connect());
			for (RawConnection connection : idle) {
				assertThat(connection.get("/hello").body()).isEqualTo("hello");
			}
			long idleSince = System.nanoTime();
			WebSocketClient webSocket = WebSocketClient.open(server, ReactiveWebSocketEndpoints.PATH);
			webSocket.send("ping");
			assertThat(webSocket.receive()).isEqualTo("ping");
			RawConnection events = server.connect();
			events.sendRaw("GET /events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n");
			assertThat(events.readHead().status()).isEqualTo(200);
			assertThat(events.readChunk()).startsWith("data:tick 0");
			ReactiveTestEndpoints endpoints = server.endpoints();
			RawConnection held = server.connect();
			held.send("GET", "/held", null);
			await().untilAsserted(
					() -> assertThat(List.of(endpoints.heldInFlight(), server.terminator().connections().idleCount(),
							server.terminator().connections().activeCount()))
						.containsExactly(1, 2, 3));

			long drainStarted = System.nanoTime();
			CompletableFuture<DrainResult> drain = server.terminator().terminate();
			Closed closed = webSocket.closed().get(5, TimeUnit.SECONDS);
			assertThat(closed.code()).as("close code, reason '%s'", closed.reason()).isEqualTo(GOING_AWAY);
			assertThat(Duration.ofNanos(closed.atNanos() - drainStarted)).isLessThan(Duration.ofSeconds(1));
			// The stream ends cleanly with its last chunk at end-after, then its
			// connection closes.
			while (events.readChunk() != null) {
				// events until the stream ends
			}
			assertThat(Duration.ofNanos(System.nanoTime() - drainStarted)).as("stream ended at end-after")
				.isBetween(END_AFTER.minusMillis(50), Duration.ofSeconds(1));
			assertThat(events.awaitClosed(Duration.ofSeconds(3))).as("stream's connection closed").isTrue();
			await().atMost(Duration.ofSeconds(2))
				.untilAsserted(() -> assertThatExceptionOfType(ConnectException.class)
					.isThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close()));
			for (RawConnection connection : idle) {
				assertThat(connection.awaitClosed(Duration.ofSeconds(3))).as("idle connection closed").isTrue();
			}
			assertThat(Duration.ofNanos(System.nanoTime() - idleSince)).as("idle kept for the quiet period")
				.isGreaterThanOrEqualTo(QUIET_PERIOD.minusMillis(50));
			assertThat(drain).isNotDone();
			assertThat(Connections.getJson(management, "/actuator/terminator").get("state").asText())
				.isEqualTo("DRAINING");

			endpoints.releaseHeld();
			Response response = held.readResponse();
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.body()).isEqualTo("held");
			assertThat(response.asksToClose()).as("Connection: close on the response in flight").isTrue();
			assertThat(held.awaitClosed(Duration.ofSeconds(5))).isTrue();

			DrainResult result = drain.get(5, TimeUnit.SECONDS);
			assertThat(result.idleClosed()).isGreaterThanOrEqualTo(2);
			assertThat(result.idleClosed() + result.completed()).isEqualTo(5);
			assertThat(result.forced()).isZero();
			JsonNode after = Connections.getJson(management, "/actuator/terminator");
			assertThat(after.get("drain").get("durationMillis").isNull()).isFalse();
			webSocket.close();
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.testsupport.ReactiveServer#supported")
	void http2StreamInFlightIsServedAfterAGoAway(ReactiveServer kind) throws Exception {
		try (ReactiveTestServer server = ReactiveTestServer.start(kind, false, "server.http2.enabled=true",
				"terminator.quiet-period=0s", "terminator.timeout=10s");
				RawHttp2Connection connection = RawHttp2Connection.open(server)) {
			assumeTrue(kind.closesHttp2ConnectionsWithGoAway(), kind + " sends no GOAWAY");
			int held = connection.get("/held");
			ReactiveTestEndpoints endpoints = server.endpoints();
			await().until(() -> endpoints.heldInFlight() == 1);

			CompletableFuture<DrainResult> drain = server.terminator().terminate();
			await().atMost(Duration.ofSeconds(1)).until(() -> !connection.goAways().isEmpty());
			assertThat(connection.goAways().get(0).errorCode()).isZero();
			assertThat(connection.response(held)).as("still in flight at the GOAWAY").isNull();

			endpoints.releaseHeld();
			await().atMost(Duration.ofSeconds(5)).until(() -> connection.response(held) != null);
			RawHttp2Connection.Response response = connection.response(held);
			assertThat(response.resetCode()).isEqualTo(-1);
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.body()).isEqualTo("held");
			await().atMost(Duration.ofSeconds(2)).until(connection::isClosedByServer);
			DrainResult result = drain.get(5, TimeUnit.SECONDS);
			assertThat(result.forced()).isZero();
			assertThat(result.idleClosed() + result.completed()).isEqualTo(1);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.testsupport.ReactiveServer#supported")
	void stuckHandlerIsCutAtTheTimeoutAndTheApplicationClosesRightAfter(ReactiveServer kind) throws Exception {
		Duration timeout = Duration.ofSeconds(1);
		// Boot's own step told to stop at once, where the other tests leave it graceful:
		// the drain is the same either way.
		try (ReactiveTestServer server = ReactiveTestServer.start(kind, false, "terminator.quiet-period=0s",
				"terminator.timeout=" + timeout.toMillis() + "ms", "server.shutdown=immediate")) {
			HttpTerminator terminator = server.terminator();
			RawConnection stuck = server.connect();
			stuck.send("GET", "/stuck", null);
			await().until(() -> server.terminator().connections().activeCount() == 1);

			long closeStarted = System.nanoTime();
			CompletableFuture<Void> close = CompletableFuture.runAsync(server::shutDown);
			assertThat(stuck.awaitClosed(Duration.ofSeconds(5))).as("stuck connection cut").isTrue();
			long cut = System.nanoTime();
			close.get(10, TimeUnit.SECONDS);
			Duration afterCut = Duration.ofNanos(System.nanoTime() - cut);

			assertThat(Duration.ofNanos(cut - closeStarted)).as("cut at the timeout")
				.isGreaterThanOrEqualTo(timeout.minusMillis(100));
			assertThat(afterCut).as("application closed after the cut").isLessThan(Duration.ofMillis(500));
			DrainResult result = terminator.drainResult();
			assertThat(result).isNotNull();
			assertThat(result.forced()).isEqualTo(1);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.testsupport.ReactiveServer#supported")
	void adaptiveLameDuckEndsOnceNothingNewArrivesCountingWhatDid(ReactiveServer kind) throws Exception {
		Duration maximum = Duration.ofSeconds(10);
		Duration quietTime = Duration.ofMillis(400);
		try (ReactiveTestServer server = ReactiveTestServer.start(kind, false,
				"terminator.shutdown-delay=" + maximum.toSeconds() + "s", "terminator.adaptive-delay.enabled=true",
				"terminator.adaptive-delay.quiet-time=" + quietTime.toMillis() + "ms",
				"terminator.adaptive-delay.minimum=500ms", "terminator.quiet-period=0s", "management.server.port=0",
				"management.server.address=127.0.0.1", "management.endpoints.web.exposure.include=terminator")) {
			List<RawConnection> keepAlive = List.of(server.connect(), server.connect());
			for (RawConnection connection : keepAlive) {
				assertThat(connection.get("/hello").body()).isEqualTo("hello");
			}
			await().until(() -> server.terminator().connections().idleCount() == keepAlive.size());
			RawConnection management = RawConnection.open(managementPort(server), null);

			CompletableFuture<DrainResult> drain = server.terminator().terminate();
			LameDuckTraffic traffic = LameDuckTraffic.send(server, keepAlive, Duration.ofSeconds(1),
					Duration.ofMillis(50));
			DrainResult result = drain.get(maximum.toSeconds(), TimeUnit.SECONDS);
			LameDuck lameDuck = server.terminator().lameDuck();
			assertThat(lameDuck).isNotNull();
			traffic.assertEndedQuietAfterIt(lameDuck, quietTime, maximum);
			assertThat(result.timeline().lameDuck()).isEqualTo(lameDuck);
			LameDuckTraffic.assertShown(Connections.getJson(management, "/actuator/terminator"), lameDuck);
		}
	}

	@Test
	void onNettyTheApplicationClosesWithoutReactorNettysQuietPeriodAfterTheDrain() throws Exception {
		// Spring's ReactorResourceFactory stops the event loops after the web server,
		// with a quiet period of 2 s by default: once the drain left no connection,
		// nothing is left for it to wait for.
		try (ReactiveTestServer server = ReactiveTestServer.start(ReactiveServer.NETTY, false,
				"terminator.quiet-period=0s")) {
			try (RawConnection connection = server.connect()) {
				assertThat(connection.get("/hello").body()).isEqualTo("hello");
			}
			await().until(() -> server.terminator().connections().openCount() == 0);
			long closeStarted = System.nanoTime();
			server.shutDown();
			assertThat(Duration.ofNanos(System.nanoTime() - closeStarted)).isLessThan(Duration.ofMillis(500));
		}
	}

	private static int managementPort(ReactiveTestServer server) {
		Integer port = server.context().getEnvironment().getProperty("local.management.port", Integer.class);
		assertThat(port).as("management port").isNotNull().isNotEqualTo(server.port());
		return port;
	}

}
