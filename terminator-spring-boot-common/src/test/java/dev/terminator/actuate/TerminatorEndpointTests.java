package dev.terminator.actuate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terminator.core.DrainResult;
import dev.terminator.core.HttpTerminator;
import dev.terminator.core.TerminatorState;
import dev.terminator.testsupport.Connections;
import dev.terminator.testsupport.Container;
import dev.terminator.testsupport.RawConnection;
import dev.terminator.testsupport.RawConnection.Response;
import dev.terminator.testsupport.ServerKind;
import dev.terminator.testsupport.TestEndpoints;
import dev.terminator.testsupport.TestServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.terminator.testsupport.Connections.assertCounts;
import static dev.terminator.testsupport.Connections.assertDrain;
import static dev.terminator.testsupport.Connections.getJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@code /actuator/terminator} on real servers: exact counts before, during and after a
 * drain, on the application's port and on a separate management port, and the write
 * operation with and without access to it.
 */
class TerminatorEndpointTests {

	private static final String ENDPOINT = "/actuator/terminator";

	private static final String EXPOSE = "management.endpoints.web.exposure.include=terminator,health";

	private static final String UNRESTRICTED = "management.endpoint.terminator.access=unrestricted";

	private static final String[] MANAGEMENT_PORT = { "management.server.port=0", "management.server.address=127.0.0.1",
			"management.endpoint.health.probes.enabled=true" };

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.testsupport.ServerKind#plain")
	void onTheApplicationPortTheReadingRequestIsOneActiveConnection(ServerKind kind) throws Exception {
		// The quiet period keeps the idle connections, and the reader, open for a while
		// into the drain: long enough to read the endpoint once more while draining, on a
		// connection opened before the listen socket closed.
		try (TestServer server = kind.start(EXPOSE, "terminator.timeout=20s", "terminator.quiet-period=15s")) {
			List<RawConnection> idle = Connections.idle(server, 3);
			List<RawConnection> active = Connections.active(server, 2);
			RawConnection reader = server.connect();

			JsonNode before = getJson(reader, ENDPOINT);
			assertThat(before.get("state").asText()).isEqualTo("RUNNING");
			assertThat(before.get("server").asText()).isEqualTo(serverName(kind.container()));
			assertCounts(before, 6, 3, 3);
			assertThat(before.get("timeout").asText()).isEqualTo("PT20S");
			assertThat(before.get("shutdownDelay").asText()).isEqualTo("PT0S");
			assertThat(before.has("drain")).as("drain is in %s", before).isTrue();
			assertThat(before.get("drain").isNull()).isTrue();
			assertThat(before.get("adaptiveDelay").isNull()).as("adaptiveDelay in %s", before).isTrue();
			assertThat(before.get("lameDuck").isNull()).as("lameDuck in %s", before).isTrue();

			CompletableFuture<DrainResult> drain = server.terminator().terminate();
			await().until(() -> server.terminator().state() == TerminatorState.DRAINING);
			Response duringResponse = reader.get(ENDPOINT);
			JsonNode during = Connections.parse(duringResponse);
			assertThat(during.get("state").asText()).isEqualTo("DRAINING");
			assertCounts(during, 6, 3, 3);
			assertDrain(during, 0, 0, 0);
			assertThat(during.get("drain").has("durationMillis")).isTrue();
			assertThat(during.get("drain").get("durationMillis").isNull()).isTrue();
			assertThat(during.get("drain").get("timeline").isNull()).as("timeline in %s", during).isTrue();
			assertThat(during.get("lameDuck").isNull()).as("no delay: lameDuck in %s", during).isTrue();
			Instant startedAt = Instant.parse(during.get("drain").get("startedAt").asText());
			assertThat(Instant.parse(during.get("drain").get("deadline").asText()))
				.isEqualTo(startedAt.plus(Duration.ofSeconds(20)));
			assertThat(duringResponse.asksToClose()).isTrue();
			assertThat(reader.awaitClosed(Duration.ofSeconds(5))).isTrue();

			// The listen socket is closed: the rest of the drain is seen on a management
			// port (test below).
			for (RawConnection held : active) {
				assertThat(Connections.release(held).asksToClose()).isTrue();
			}
			for (RawConnection connection : idle) {
				connection.close();
			}
			DrainResult result = drain.get(10, TimeUnit.SECONDS);
			assertThat(result.completed()).isEqualTo(6);
			assertThat(result.forced()).isZero();
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.testsupport.ServerKind#all")
	void onAManagementPortCountsAreTheApplicationsOwnBeforeDuringAndAfterTheDrain(ServerKind kind) throws Exception {
		try (TestServer server = kind.start(
				with(MANAGEMENT_PORT, EXPOSE, UNRESTRICTED, "terminator.quiet-period=0s", "terminator.timeout=20s"))) {
			int applicationPort = server.port();
			List<RawConnection> idle = Connections.idle(server, 3);
			List<RawConnection> active = Connections.active(server, 2);
			// The management server takes server.ssl.* too, unless
			// management.server.ssl.* says otherwise.
			RawConnection management = RawConnection.open(managementPort(server), server.clientTls());

			JsonNode before = getJson(management, ENDPOINT);
			assertThat(before.get("state").asText()).isEqualTo("RUNNING");
			assertCounts(before, 5, 3, 2);
			assertThat(before.get("drain").isNull()).isTrue();

			Response started = Connections.post(management, ENDPOINT, null);
			assertThat(started.status()).isEqualTo(200);
			assertThat(Connections.parse(started).get("state").asText()).isEqualTo("DRAINING");
			for (RawConnection connection : idle) {
				assertThat(connection.awaitClosed(Duration.ofSeconds(5))).as("idle connection closed").isTrue();
			}
			// A closed connection leaves the counts a moment before the drain counts it:
			// wait for both.
			await().untilAsserted(() -> {
				JsonNode during = getJson(management, ENDPOINT);
				assertThat(during.get("state").asText()).isEqualTo("DRAINING");
				assertCounts(during, 2, 0, 2);
				assertDrain(during, 3, 0, 0);
				assertThat(during.get("drain").get("durationMillis").isNull()).isTrue();
			});

			Connections.release(active.get(0));
			await().untilAsserted(() -> {
				JsonNode during = getJson(management, ENDPOINT);
				assertCounts(during, 1, 0, 1);
				assertDrain(during, 3, 1, 0);
			});

			Connections.release(active.get(1));
			await().until(() -> "TERMINATED".equals(getJson(management, ENDPOINT).get("state").asText()));
			JsonNode after = getJson(management, ENDPOINT);
			assertCounts(after, 0, 0, 0);
			assertDrain(after, 3, 2, 0);
			assertThat(after.get("drain").get("durationMillis").asLong()).isNotNegative();
			assertThat(after.get("lameDuck").isNull()).as("no delay: lameDuck in %s", after).isTrue();
			JsonNode timeline = after.get("drain").get("timeline");
			Instant drainStartedAt = Instant.parse(after.get("drain").get("startedAt").asText());
			Instant lastIdleClosedAt = Instant.parse(timeline.get("lastIdleClosedAt").asText());
			Instant lastRequestCompletedAt = Instant.parse(timeline.get("lastRequestCompletedAt").asText());
			Instant finishedAt = Instant.parse(timeline.get("finishedAt").asText());
			assertThat(lastIdleClosedAt).as("timeline %s", timeline).isBetween(drainStartedAt, lastRequestCompletedAt);
			assertThat(lastRequestCompletedAt).as("timeline %s", timeline).isBeforeOrEqualTo(finishedAt);
			assertThat(timeline.get("cutAt").isNull()).as("nothing cut: timeline %s", timeline).isTrue();
			// Nothing was queued; Undertow's queue cannot be drained and says so.
			JsonNode acceptQueue = after.get("drain").get("acceptQueue");
			assertThat(acceptQueue.get("served").asInt()).as("acceptQueue in %s", after).isZero();
			assertThat(acceptQueue.get("drained").asBoolean()).as("acceptQueue in %s", after)
				.isEqualTo(kind.container() != Container.UNDERTOW);
			assertThat(getJson(management, "/actuator/health/liveness").get("status").asText()).isEqualTo("UP");

			// One keep-alive management connection served every read: the drain neither
			// counted nor cut it.
			assertThat(management.awaitClosed(Duration.ofMillis(200))).isFalse();
			if (kind.container().refusesNewConnectionsWhileDraining()) {
				assertRefused(applicationPort);
			}
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.testsupport.ServerKind#plain")
	void onAManagementPortEndpointProbesAndMetersStayReadableWhileTheContextCloseDrains(ServerKind kind)
			throws Exception {
		try (TestServer server = kind.start(with(MANAGEMENT_PORT, "management.endpoints.web.exposure.include=*",
				"terminator.quiet-period=0s", "terminator.shutdown-delay=1s", "terminator.timeout=20s"))) {
			TestEndpoints endpoints = server.context().getBean(TestEndpoints.class);
			RawConnection slow = server.connect();
			// In flight through the delay and into the drain: released once the drain is
			// seen.
			slow.send("GET", "/held", null);
			await().until(() -> server.terminator().connections().activeCount() == 1);
			int managementPort = managementPort(server);
			HttpTerminator httpTerminator = server.terminator();
			RawConnection management = RawConnection.open(managementPort, server.clientTls());
			assertThat(getJson(management, ENDPOINT).get("state").asText()).isEqualTo("RUNNING");

			CompletableFuture<Void> closing = CompletableFuture.runAsync(server::shutDown);
			CompletableFuture<Response> slowResponse = CompletableFuture.supplyAsync(() -> {
				try {
					return slow.readResponse();
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			});
			Set<String> statesSeen = new LinkedHashSet<>();
			// Every read must succeed from the start of the close until the drain has
			// ended; the management server stops right after it, so only then may a read
			// fail.
			await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
				try {
					JsonNode terminator = getJson(management, ENDPOINT);
					String state = terminator.get("state").asText();
					statesSeen.add(state);
					if (state.equals("DELAYING")) {
						assertCounts(terminator, 1, 0, 1);
					}
					else if (state.equals("DRAINING")) {
						// The slow connection is open, or has just closed and the drain
						// is about to finish.
						int completed = terminator.get("drain").get("completed").asInt();
						assertCounts(terminator, 1 - completed, 0, 1 - completed);
						assertDrain(terminator, 0, completed, 0);
					}
					assertThat(getJson(management, "/actuator/health/liveness").get("status").asText()).isEqualTo("UP");
					// Tomcat closes a connection after a 503: the readiness probe gets
					// its own, as kubelet's would.
					try (RawConnection probe = RawConnection.open(managementPort, server.clientTls())) {
						Response readiness = probe.get("/actuator/health/readiness");
						if (!state.equals("RUNNING")) {
							assertThat(readiness.status()).as("readiness while %s", state).isEqualTo(503);
							assertThat(Connections.parse(readiness).get("status").asText()).isEqualTo("OUT_OF_SERVICE");
						}
					}
					JsonNode active = getJson(management, "/actuator/metrics/terminator.connections?tag=state:active");
					if (active.get("measurements").get(0).get("value").asDouble() != 1.0) {
						assertThat(httpTerminator.state()).as("meter left 1 before the drain ended")
							.isEqualTo(TerminatorState.TERMINATED);
					}
					if (state.equals("DRAINING")) {
						// After this round of reads, as a request in flight ends at any
						// moment: the drain ends between rounds.
						endpoints.releaseHeld();
					}
					return state.equals("TERMINATED") || slowResponse.isDone();
				}
				catch (IOException ex) {
					assertThat(httpTerminator.state()).as("management read failed during the drain: %s", ex)
						.isEqualTo(TerminatorState.TERMINATED);
					return true;
				}
			});
			assertThat(statesSeen).contains("DELAYING", "DRAINING");
			assertThat(slowResponse.get().status()).isEqualTo(200);
			assertThat(slowResponse.get().asksToClose()).isTrue();
			closing.get(20, TimeUnit.SECONDS);
			assertThat(server.context().isActive()).isFalse();
			assertThat(management.awaitClosed(Duration.ofSeconds(5))).as("management server stopped after the drain")
				.isTrue();
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.testsupport.Container#supported")
	void writeOperationIsNotAvailableByDefault(Container container) throws Exception {
		try (TestServer server = TestServer.start(container, false, EXPOSE)) {
			RawConnection connection = server.connect();
			Response response = Connections.post(connection, ENDPOINT, null);
			assertThat(response.status()).isEqualTo(405);
			assertThat(server.terminator().state()).isEqualTo(TerminatorState.RUNNING);
			assertThat(getJson(connection, ENDPOINT).get("state").asText()).isEqualTo("RUNNING");
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.testsupport.Container#supported")
	void writeOperationIsNotAvailableWhenAccessIsCappedAtReadOnly(Container container) throws Exception {
		try (TestServer server = TestServer.start(container, false, EXPOSE, UNRESTRICTED,
				"management.endpoints.access.max-permitted=read-only")) {
			RawConnection connection = server.connect();
			assertThat(Connections.post(connection, ENDPOINT, null).status()).isEqualTo(405);
			assertThat(server.terminator().state()).isEqualTo(TerminatorState.RUNNING);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.testsupport.Container#supported")
	void writeOperationStartsTheConfiguredTerminationAndAnswersAtOnce(Container container) throws Exception {
		try (TestServer server = TestServer.start(container, false, EXPOSE, UNRESTRICTED,
				"terminator.shutdown-delay=2s", "terminator.quiet-period=0s")) {
			RawConnection connection = server.connect();
			Response response = Connections.post(connection, ENDPOINT, null);
			assertThat(response.status()).isEqualTo(200);
			JsonNode answer = Connections.parse(response);
			assertThat(answer.get("state").asText()).isEqualTo("DELAYING");
			assertThat(answer.get("shutdownDelay").asText()).isEqualTo("PT2S");
			assertThat(answer.get("drain").isNull()).isTrue();
			assertThat(answer.get("adaptiveDelay").isNull()).isTrue();
			// From the start of the delay, live: the request that started it arrived
			// before.
			JsonNode lameDuck = answer.get("lameDuck");
			assertThat(Instant.parse(lameDuck.get("startedAt").asText()))
				.isEqualTo(server.terminator().lameDuck().startedAt());
			assertThat(lameDuck.get("endedAt").isNull()).as("lameDuck %s", lameDuck).isTrue();
			assertThat(lameDuck.get("end").isNull()).as("lameDuck %s", lameDuck).isTrue();
			assertThat(lameDuck.get("durationMillis").isNull()).as("lameDuck %s", lameDuck).isTrue();
			assertThat(lameDuck.get("requests").asInt()).as("lameDuck %s", lameDuck).isZero();
			assertThat(lameDuck.get("newConnections").asInt()).as("lameDuck %s", lameDuck).isZero();
			assertThat(response.asksToClose()).as("lame duck: Connection: close").isTrue();
			assertThat(server.terminator().state()).isEqualTo(TerminatorState.DELAYING);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.testsupport.Container#supported")
	void writeOperationWithATimeoutDrainsAtOnceAndCutsAtThatTimeout(Container container) throws Exception {
		// Immediate: the cut request's thread stays blocked reading its body until the
		// connector stops, and Boot's graceful phase would wait 30s for it when the test
		// closes the application.
		try (TestServer server = TestServer.start(container, false, EXPOSE, UNRESTRICTED,
				"terminator.shutdown-delay=30s", "terminator.timeout=30s", "terminator.quiet-period=0s",
				"server.shutdown=immediate")) {
			RawConnection stuck = Connections.active(server, 1).get(0);
			RawConnection connection = server.connect();
			long start = System.nanoTime();
			Response response = Connections.post(connection, ENDPOINT, "{\"timeout\":\"1s\"}");
			assertThat(response.status()).isEqualTo(200);
			JsonNode answer = Connections.parse(response);
			assertThat(answer.get("state").asText()).isEqualTo("DRAINING");
			assertThat(Duration.between(Instant.parse(answer.get("drain").get("startedAt").asText()),
					Instant.parse(answer.get("drain").get("deadline").asText())))
				.isEqualTo(Duration.ofSeconds(1));
			assertThat(Duration.ofNanos(System.nanoTime() - start)).as("answered before the drain ended")
				.isLessThan(Duration.ofSeconds(1));
			assertThat(response.asksToClose()).isTrue();

			assertThat(stuck.awaitClosed(Duration.ofSeconds(5))).as("cut at the timeout given").isTrue();
			DrainResult result = server.terminator().terminate().get(5, TimeUnit.SECONDS);
			assertThat(result.forced()).isEqualTo(1);
			assertThat(result.completed()).isEqualTo(1);
			// The wall clock, read at the deadline the monotonic clock reached.
			assertThat(result.timeline().cutAt()).isBetween(result.deadline().minusMillis(50),
					result.timeline().finishedAt());
			assertThat(result.timeline().lameDuck()).as("a timeout given: no delay").isNull();
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.testsupport.Container#supported")
	void writeOperationRejectsANegativeTimeout(Container container) throws Exception {
		try (TestServer server = TestServer.start(container, false, EXPOSE, UNRESTRICTED)) {
			RawConnection connection = server.connect();
			assertThat(Connections.post(connection, ENDPOINT, "{\"timeout\":\"-1s\"}").status()).isEqualTo(400);
			assertThat(server.terminator().state()).isEqualTo(TerminatorState.RUNNING);
		}
	}

	static String serverName(Container container) {
		return container.name().toLowerCase(Locale.ROOT);
	}

	static int managementPort(TestServer server) {
		Integer port = server.context().getEnvironment().getProperty("local.management.port", Integer.class);
		assertThat(port).as("management port").isNotNull().isNotEqualTo(server.port());
		return port;
	}

	static void assertRefused(int port) {
		assertThatExceptionOfType(ConnectException.class)
			.isThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close());
	}

	static String[] with(String[] first, String... more) {
		String[] all = new String[first.length + more.length];
		System.arraycopy(first, 0, all, 0, first.length);
		System.arraycopy(more, 0, all, first.length, more.length);
		return all;
	}

}
