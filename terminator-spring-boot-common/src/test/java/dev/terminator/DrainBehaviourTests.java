package dev.terminator;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The drain end to end in a Spring Boot application, one test per behaviour on every
 * container: plain, and the first also with TLS. terminator-core's socket-level suite
 * ({@code dev.terminator.server.DrainBehaviourTests}) covers each behaviour on every
 * container of both generations, plain and TLS, with the terminator driven directly.
 */
class DrainBehaviourTests {

	private static final String NO_QUIET_PERIOD = "terminator.quiet-period=0s";

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.testsupport.ServerKind#all")
	void idleConnectionsCloseAtOnceWhileSlowRequestFinishesWithConnectionClose(ServerKind kind) throws Exception {
		try (TestServer server = kind.start(NO_QUIET_PERIOD)) {
			List<RawConnection> idle = openIdleConnections(server, 3);
			TestEndpoints endpoints = server.context().getBean(TestEndpoints.class);
			RawConnection slow = server.connect();
			slow.send("GET", "/held", null);
			await().until(() -> server.terminator().connections().activeCount() == 1);

			CompletableFuture<DrainResult> drain = server.terminator().terminate();
			for (RawConnection connection : idle) {
				assertThat(connection.awaitClosed(Duration.ofMillis(1000))).as("idle connection closed").isTrue();
			}
			assertThat(drain).isNotDone();
			endpoints.releaseHeld();

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
	@MethodSource("dev.terminator.testsupport.ServerKind#plain")
	void newConnectionsAreRefusedOnceTheDrainBegins(ServerKind kind) throws Exception {
		assumeTrue(kind.container().refusesNewConnectionsWhileDraining(), kind + " keeps accepting while draining");
		try (TestServer server = kind.start(NO_QUIET_PERIOD)) {
			int port = server.port();
			TestEndpoints endpoints = server.context().getBean(TestEndpoints.class);
			RawConnection slow = server.connect();
			slow.send("GET", "/held", null);
			await().until(() -> server.terminator().connections().activeCount() == 1);

			server.terminator().terminate();
			await().until(() -> server.terminator().state() == TerminatorState.DRAINING);
			assertThatExceptionOfType(ConnectException.class)
				.isThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close());
			endpoints.releaseHeld();
			assertThat(slow.readResponse().status()).isEqualTo(200);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.testsupport.ServerKind#plain")
	void recentlyUsedConnectionServesItsNextRequestWithConnectionClose(ServerKind kind) throws Exception {
		try (TestServer server = kind.start("terminator.quiet-period=5s")) {
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
	@MethodSource("dev.terminator.testsupport.ServerKind#plain")
	void requestStillRunningAtTheTimeoutIsCut(ServerKind kind) throws Exception {
		try (TestServer server = kind.start(NO_QUIET_PERIOD, "terminator.timeout=1s")) {
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

	private static List<RawConnection> openIdleConnections(TestServer server, int count) throws Exception {
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

}
