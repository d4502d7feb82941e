package dev.terminator.server;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.terminator.core.DrainResult;
import dev.terminator.core.HttpTerminator;
import dev.terminator.core.TerminatorState;
import dev.terminator.testsupport.PostLoad;
import dev.terminator.testsupport.RawConnection;
import dev.terminator.testsupport.RawConnection.Head;
import dev.terminator.testsupport.RawConnection.Response;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The drain, socket by socket, on every bare container of the generation under test,
 * plain and TLS (plain only where TLS changes nothing: the listen socket, the engine's
 * bookkeeping): idle connections closed, the quiet period, {@code Connection: close} on
 * responses in flight, new connections refused, the cut at the timeout.
 */
@Timeout(60)
class DrainBehaviourTests {

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.server.ServerKind#plain")
	void serverWithNoConnectionsTerminatesAtOnce(ServerKind kind) throws Exception {
		try (BareServer server = kind.start()) {
			DrainResult result = server.terminator().terminate().get(5, TimeUnit.SECONDS);
			assertThat(result.duration()).isLessThan(Duration.ofSeconds(1));
			assertThat(result.idleClosed() + result.completed() + result.forced()).isZero();
			assertThat(server.terminator().state()).isEqualTo(TerminatorState.TERMINATED);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.server.ServerKind#all")
	void idleConnectionsCloseAtOnceWhileSlowRequestFinishesWithConnectionClose(ServerKind kind) throws Exception {
		try (BareServer server = kind.start((options) -> options.withQuietPeriod(Duration.ZERO))) {
			List<RawConnection> idle = openIdleConnections(server, 3);
			RawConnection slow = server.connect();
			slow.send("GET", "/held", null);
			await().until(() -> server.terminator().connections().activeCount() == 1);

			CompletableFuture<DrainResult> drain = server.terminator().terminate();
			for (RawConnection connection : idle) {
				assertThat(connection.awaitClosed(Duration.ofMillis(1000))).as("idle connection closed").isTrue();
			}
			assertThat(drain).isNotDone();
			server.servlet().releaseHeld();

			Response response = slow.readResponse();
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.body()).isEqualTo("held");
			assertThat(response.asksToClose()).as("Connection: close on the response in flight").isTrue();
			assertThat(slow.awaitClosed(Duration.ofSeconds(5))).isTrue();

			DrainResult result = drain.get(5, TimeUnit.SECONDS);
			assertThat(result.idleClosed()).isEqualTo(3);
			assertThat(result.completed()).isEqualTo(1);
			assertThat(result.forced()).isZero();
			assertThat(result.outcome()).isEqualTo(DrainResult.Outcome.DRAINED);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.server.ServerKind#all")
	void idleConnectionIsKeptThroughTheQuietPeriodThenClosed(ServerKind kind) throws Exception {
		Duration quietPeriod = Duration.ofMillis(1500);
		try (BareServer server = kind.start((options) -> options.withQuietPeriod(quietPeriod))) {
			RawConnection idle = server.connect();
			Response response = idle.get("/hello");
			// The quiet period counts from the connection's last response: taken before
			// anything else, the first assertion of a run may load classes for a while.
			long lastUsed = System.nanoTime();
			assertThat(response.body()).isEqualTo("hello");
			await().until(() -> server.terminator().connections().idleCount() == 1);

			CompletableFuture<DrainResult> drain = server.terminator().terminate();
			assertThat(idle.awaitClosed(Duration.ofMillis(700))).as("kept through the quiet period").isFalse();
			assertThat(idle.awaitClosed(Duration.ofSeconds(5))).as("closed once the quiet period is over").isTrue();
			Duration closedAfter = Duration.ofNanos(System.nanoTime() - lastUsed);

			assertThat(closedAfter).isBetween(quietPeriod.minusMillis(200), quietPeriod.plusSeconds(3));
			DrainResult result = drain.get(5, TimeUnit.SECONDS);
			assertThat(result.idleClosed()).isEqualTo(1);
			assertThat(result.forced()).isZero();
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.server.ServerKind#plain")
	void newConnectionsAreRefusedOnceTheDrainBegins(ServerKind kind) throws Exception {
		assumeTrue(kind.container().refusesNewConnectionsWhileDraining(), kind + " keeps accepting while draining");
		try (BareServer server = kind.start((options) -> options.withQuietPeriod(Duration.ZERO))) {
			int port = server.port();
			RawConnection slow = server.connect();
			slow.send("GET", "/held", null);
			await().until(() -> server.terminator().connections().activeCount() == 1);

			server.terminator().terminate();
			await().until(() -> server.terminator().state() == TerminatorState.DRAINING);
			assertThatExceptionOfType(ConnectException.class)
				.isThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close());
			server.servlet().releaseHeld();
			assertThat(slow.readResponse().status()).isEqualTo(200);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.server.ServerKind#all")
	void responseCommittedBeforeTheDrainFinishesThenTheConnectionCloses(ServerKind kind) throws Exception {
		try (BareServer server = kind.start((options) -> options.withQuietPeriod(Duration.ZERO))) {
			RawConnection streaming = server.connect();
			streaming.send("GET", "/stream?chunks=5&intervalMillis=200", null);
			Head head = streaming.readHead();
			assertThat(head.status()).isEqualTo(200);
			assertThat(head.asksToClose()).isFalse();
			assertThat(streaming.readChunk()).isEqualTo("chunk 0\n");

			CompletableFuture<DrainResult> drain = server.terminator().terminate();
			await().until(() -> server.terminator().state() == TerminatorState.DRAINING);
			StringBuilder rest = new StringBuilder();
			for (String chunk = streaming.readChunk(); chunk != null; chunk = streaming.readChunk()) {
				rest.append(chunk);
			}
			assertThat(rest).hasToString("chunk 1\nchunk 2\nchunk 3\nchunk 4\n");
			assertThat(streaming.awaitClosed(Duration.ofSeconds(2))).as("closed after the response").isTrue();
			assertThat(drain.get(5, TimeUnit.SECONDS).forced()).isZero();
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.server.ServerKind#all")
	void recentlyUsedConnectionServesItsNextRequestWithConnectionClose(ServerKind kind) throws Exception {
		try (BareServer server = kind.start((options) -> options.withQuietPeriod(Duration.ofSeconds(5)))) {
			RawConnection connection = server.connect();
			assertThat(connection.get("/hello").asksToClose()).isFalse();

			CompletableFuture<DrainResult> drain = server.terminator().terminate();
			await().until(() -> server.terminator().state() == TerminatorState.DRAINING);
			connection.send("POST", "/echo", "not lost");
			Response response = connection.readResponse();
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.body()).isEqualTo("not lost");
			assertThat(response.asksToClose()).isTrue();
			assertThat(connection.awaitClosed(Duration.ofSeconds(2))).isTrue();
			DrainResult result = drain.get(5, TimeUnit.SECONDS);
			assertThat(result.completed()).isEqualTo(1);
			assertThat(result.duration()).isLessThan(Duration.ofSeconds(5));
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.server.ServerKind#all")
	void requestStillRunningAtTheTimeoutIsCut(ServerKind kind) throws Exception {
		try (BareServer server = kind
			.start((options) -> options.withQuietPeriod(Duration.ZERO).withTimeout(Duration.ofSeconds(1)))) {
			RawConnection stuck = server.connect();
			// Long enough to outlive the timeout; short enough that the servlet thread
			// does not hold up the stop.
			stuck.send("GET", "/slow?millis=4000", null);
			await().until(() -> server.terminator().connections().activeCount() == 1);

			CompletableFuture<DrainResult> drain = server.terminator().terminate();
			assertThat(stuck.awaitClosed(Duration.ofSeconds(5))).as("cut at the timeout").isTrue();
			DrainResult result = drain.get(5, TimeUnit.SECONDS);
			assertThat(result.duration()).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(4));
			assertThat(result.forced()).isEqualTo(1);
			assertThat(result.outcome()).isEqualTo(DrainResult.Outcome.FORCED);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.server.ServerKind#plain")
	void noConnectionCloseWhileNotDraining(ServerKind kind) throws Exception {
		try (BareServer server = kind.start()) {
			RawConnection connection = server.connect();
			Response first = connection.get("/hello");
			Response second = connection.get("/hello");
			assertThat(first.body()).isEqualTo("hello");
			assertThat(first.asksToClose()).isFalse();
			assertThat(second.asksToClose()).isFalse();
			assertThat(connection.awaitClosed(Duration.ofMillis(200))).isFalse();
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.server.ServerKind#plain")
	void registryForgetsEveryClosedConnection(ServerKind kind) throws Exception {
		try (BareServer server = kind.start((options) -> options.withQuietPeriod(Duration.ZERO))) {
			HttpTerminator terminator = server.terminator();
			List<RawConnection> connections = openIdleConnections(server, 5);
			await().until(() -> terminator.connections().openCount() == 5);
			assertThat(terminator.connections().idleCount()).isEqualTo(5);
			for (RawConnection connection : connections) {
				connection.close();
			}
			await().until(() -> terminator.connections().openCount() == 0);
			assertThat(terminator.connections().activeCount()).isZero();

			List<RawConnection> idle = openIdleConnections(server, 2);
			terminator.terminate().get(5, TimeUnit.SECONDS);
			assertThat(terminator.connections().openCount()).isZero();
			assertThat(terminator.connections().activeCount()).isZero();
			assertClosedByServer(idle);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.server.ServerKind#plain")
	void concurrentTerminationsShareOneDrain(ServerKind kind) throws Exception {
		try (BareServer server = kind.start((options) -> options.withQuietPeriod(Duration.ZERO))) {
			List<RawConnection> idle = openIdleConnections(server, 2);
			HttpTerminator terminator = server.terminator();
			List<CompletableFuture<CompletableFuture<DrainResult>>> calls = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				calls.add(CompletableFuture.supplyAsync(terminator::terminate));
			}
			calls.add(CompletableFuture.supplyAsync(() -> terminator.drain(Duration.ZERO)));
			List<DrainResult> results = new ArrayList<>();
			for (CompletableFuture<CompletableFuture<DrainResult>> call : calls) {
				results.add(call.get(5, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS));
			}
			assertThat(results).allSatisfy((result) -> assertThat(result).isEqualTo(results.get(0)));
			assertThat(results.get(0).idleClosed() + results.get(0).forced()).isEqualTo(2);
			assertThat(terminator.terminate().get()).isEqualTo(results.get(0));
			assertClosedByServer(idle);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.server.ServerKind#all")
	void pooledKeepAliveClientsUnderLoadLoseNoRequest(ServerKind kind) throws Exception {
		// The default quiet period (2 s) is what protects these clients: Apache
		// HttpClient checks a pooled connection only after 2 s unused, so one the drain
		// closed after a shorter idle time would still be handed out.
		try (BareServer server = kind.start()) {
			PostLoad load = new PostLoad(server, 8);
			try (load) {
				await().atMost(Duration.ofSeconds(20)).until(() -> load.completed() >= 500);
				DrainResult result = server.terminator().terminate().get(10, TimeUnit.SECONDS);
				assertThat(result.forced()).isZero();
			}
			assertThat(load.failures()).isEmpty();
			assertThat(load.lost()).isZero();
			assertThat(load.completed()).isGreaterThanOrEqualTo(500);
		}
	}

	// The caller must use the connections after the drain (assertClosedByServer): the
	// JDK closes a Socket that is no longer reachable once the GC has collected it, and
	// the server would see the client close its idle connections before the drain could.
	private static List<RawConnection> openIdleConnections(BareServer server, int count) throws Exception {
		List<RawConnection> connections = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			RawConnection connection = server.connect();
			assertThat(connection.get("/hello").body()).isEqualTo("hello");
			connections.add(connection);
		}
		await().until(() -> server.terminator().connections().idleCount() == count
				&& server.terminator().connections().activeCount() == 0);
		return connections;
	}

	private static void assertClosedByServer(List<RawConnection> connections) throws Exception {
		for (RawConnection connection : connections) {
			assertThat(connection.awaitClosed(Duration.ofSeconds(2))).as("closed by the drain").isTrue();
		}
	}

}
