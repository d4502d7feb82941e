package dev.terminator;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.terminator.core.DrainResult;
import dev.terminator.core.HttpTerminator;
import dev.terminator.core.TerminatorState;
import dev.terminator.testsupport.ServerKind;
import dev.terminator.testsupport.TestServer;
import dev.terminator.testsupport.WebSocketClient;
import dev.terminator.testsupport.WebSocketClient.Closed;
import dev.terminator.testsupport.WebSocketEndpoints;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * WebSocket sessions at the drain in a Spring Boot application, on every container: a
 * Spring {@code WebSocketHandler}, STOMP and a Jakarta {@code @ServerEndpoint} each get a
 * close frame 1001 (Going Away) when the drain begins, and their connections end with the
 * close handshake, counted as completed. The socket-level cases on every container of
 * both generations, plain and TLS, are terminator-core's
 * ({@code dev.terminator.server.WebSocketDrainTests}).
 */
class WebSocketDrainTests {

	private static final int GOING_AWAY = 1001;

	private static final List<Class<?>> WEBSOCKET_APPLICATION = List.of(WebSocketEndpoints.class);

	static Stream<Arguments> serversAndEndpoints() {
		return ServerKind.plain()
			.flatMap((kind) -> Stream.of(Endpoint.values()).map((endpoint) -> Arguments.of(kind, endpoint)));
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("serversAndEndpoints")
	void sessionGetsGoingAwayWhenTheDrainBegins(ServerKind kind, Endpoint endpoint) throws Exception {
		try (TestServer server = kind.start(WEBSOCKET_APPLICATION); WebSocketClient client = endpoint.open(server)) {
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
	@MethodSource("dev.terminator.testsupport.ServerKind#plain")
	void applicationContextClosesWithinSecondsRatherThanTheTimeout(ServerKind kind) throws Exception {
		TestServer server = kind.start(WEBSOCKET_APPLICATION);
		HttpTerminator terminator = server.terminator();
		try (WebSocketClient client = Endpoint.SPRING_HANDLER.open(server)) {
			await().until(() -> terminator.connections().activeCount() == 1);

			long start = System.nanoTime();
			server.close();

			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
			assertThat(client.closed().get(1, TimeUnit.SECONDS).code()).isEqualTo(GOING_AWAY);
			assertThat(List.of(terminator.drainResult().completed(), terminator.drainResult().forced()))
				.containsExactly(1, 0);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.testsupport.ServerKind#plain")
	void switchedOffTheSessionHoldsTheDrainUntilItIsCut(ServerKind kind) throws Exception {
		try (TestServer server = kind.start(WEBSOCKET_APPLICATION, "terminator.websocket.close-on-drain=false",
				"terminator.timeout=1500ms"); WebSocketClient client = Endpoint.SPRING_HANDLER.open(server)) {
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

	/**
	 * The kinds of WebSocket endpoint an application has, and how a client opens a
	 * session on each.
	 */
	enum Endpoint {

		SPRING_HANDLER {
			@Override
			WebSocketClient open(TestServer server) throws Exception {
				WebSocketClient client = WebSocketClient.open(server, "/ws/echo");
				client.send("hello");
				assertThat(client.receive()).isEqualTo("hello");
				return client;
			}
		},

		STOMP {
			@Override
			WebSocketClient open(TestServer server) throws Exception {
				WebSocketClient client = WebSocketClient.open(server, "/ws/stomp");
				client.send("CONNECT\naccept-version:1.2\nhost:127.0.0.1\n\n\0");
				assertThat(client.receive()).startsWith("CONNECTED");
				client.send("SUBSCRIBE\nid:0\ndestination:/topic/news\n\n\0");
				return client;
			}
		},

		JAKARTA_ENDPOINT {
			@Override
			WebSocketClient open(TestServer server) throws Exception {
				WebSocketClient client = WebSocketClient.open(server, "/ws/jakarta");
				client.send("hello");
				assertThat(client.receive()).isEqualTo("hello");
				return client;
			}
		};

		abstract WebSocketClient open(TestServer server) throws Exception;

	}

}
