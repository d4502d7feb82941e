package dev.terminator.server;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.terminator.core.DrainResult;
import dev.terminator.core.HttpTerminator;
import dev.terminator.core.TerminatorState;
import dev.terminator.testsupport.WebSocketClient;
import dev.terminator.testsupport.WebSocketClient.Closed;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * WebSocket sessions of a Jakarta endpoint at the drain, on every bare container (the
 * close frame plain and TLS, the rest plain): each gets a close frame 1001 (Going Away)
 * from the container's closer when the drain begins, and its connection ends with the
 * close handshake, counted as completed.
 */
@Timeout(60)
class WebSocketDrainTests {

	private static final int GOING_AWAY = 1001;

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.server.ServerKind#all")
	void sessionGetsGoingAwayWhenTheDrainBegins(ServerKind kind) throws Exception {
		try (BareServer server = kind.start(); WebSocketClient client = openEchoing(server)) {
			await().until(() -> server.terminator().connections().activeCount() == 1);

			long drainStart = System.nanoTime();
			CompletableFuture<DrainResult> drain = server.terminator().terminate();
			Closed closed = client.closed().get(5, TimeUnit.SECONDS);

			assertThat(closed.code()).as("close code, reason '%s'", closed.reason()).isEqualTo(GOING_AWAY);
			assertThat(Duration.ofNanos(closed.atNanos() - drainStart)).isLessThan(Duration.ofSeconds(1));
			DrainResult result = drain.get(5, TimeUnit.SECONDS);
			assertThat(List.of(result.idleClosed(), result.completed(), result.forced())).containsExactly(0, 1, 0);
			assertThat(result.duration()).isLessThan(Duration.ofSeconds(1));
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.server.ServerKind#plain")
	void sessionThatNeverSentAFrameGetsGoingAwayToo(ServerKind kind) throws Exception {
		try (BareServer server = kind.start((options) -> options.withQuietPeriod(Duration.ZERO));
				WebSocketClient client = WebSocketClient.open(server, EchoEndpoint.PATH)) {
			// A socket the drain would close as idle, without a close frame, if it took
			// the upgraded socket for idle.
			await().until(() -> server.terminator().connections().activeCount() == 1);

			CompletableFuture<DrainResult> drain = server.terminator().terminate();

			assertThat(client.closed().get(5, TimeUnit.SECONDS).code()).isEqualTo(GOING_AWAY);
			DrainResult result = drain.get(5, TimeUnit.SECONDS);
			assertThat(List.of(result.idleClosed(), result.completed(), result.forced())).containsExactly(0, 1, 0);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.server.ServerKind#plain")
	void serverShutsDownWithinSecondsRatherThanTheTimeout(ServerKind kind) throws Exception {
		try (BareServer server = kind.start(); WebSocketClient client = openEchoing(server)) {
			HttpTerminator terminator = server.terminator();
			await().until(() -> terminator.connections().activeCount() == 1);

			long start = System.nanoTime();
			server.shutDown();

			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
			assertThat(client.closed().get(1, TimeUnit.SECONDS).code()).isEqualTo(GOING_AWAY);
			assertThat(List.of(terminator.drainResult().completed(), terminator.drainResult().forced()))
				.containsExactly(1, 0);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.server.ServerKind#plain")
	void withoutTheCloserTheSessionHoldsTheDrainUntilItIsCut(ServerKind kind) throws Exception {
		try (BareServer server = kind
			.start((options) -> options.withWebSocketsKeptOnDrain().withTimeout(Duration.ofMillis(1500)));
				WebSocketClient client = openEchoing(server)) {
			await().until(() -> server.terminator().connections().activeCount() == 1);

			CompletableFuture<DrainResult> drain = server.terminator().terminate();
			await().until(() -> server.terminator().state() == TerminatorState.DRAINING);
			await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(1)).until(() -> !client.closed().isDone());

			assertThat(client.closed().get(5, TimeUnit.SECONDS).code()).isEqualTo(WebSocketClient.ABNORMAL_CLOSURE);
			DrainResult result = drain.get(5, TimeUnit.SECONDS);
			assertThat(result.forced()).isEqualTo(1);
			assertThat(result.completed()).isZero();
		}
	}

	private static WebSocketClient openEchoing(BareServer server) throws Exception {
		WebSocketClient client = WebSocketClient.open(server, EchoEndpoint.PATH);
		client.send("hello");
		assertThat(client.receive()).isEqualTo("hello");
		return client;
	}

}
