package dev.terminator;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.terminator.core.DrainResult;
import dev.terminator.core.HttpTerminator;
import dev.terminator.core.TerminatorState;
import dev.terminator.testsupport.AsyncEndpoints;
import dev.terminator.testsupport.Container;
import dev.terminator.testsupport.RawConnection;
import dev.terminator.testsupport.RawConnection.Response;
import dev.terminator.testsupport.ServerKind;
import dev.terminator.testsupport.TestServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Server-sent events and long polls at the drain, on every container (plain; a stream
 * left open also over TLS, where it ends with close_notify): those the application ends
 * when told the drain began end at once, those it leaves open are ended by terminator
 * {@code terminator.async.end-after} into the drain, through Spring MVC's async timeout;
 * either way cleanly, and long before the drain timeout. Single-value async results,
 * which end by themselves, are left to finish.
 */
class AsyncRequestDrainTests {

	/**
	 * Far longer than anything here should take: a stream or poll still open at this
	 * timeout was not ended.
	 */
	private static final String TIMEOUT = "terminator.timeout=10s";

	private static final String NO_QUIET_PERIOD = "terminator.quiet-period=0s";

	/**
	 * Not shorter than the timeout: terminator itself ends nothing, so what ends early
	 * was ended by the application.
	 */
	private static final String STARTER_ENDS_NOTHING = "terminator.async.end-after=10s";

	private static final Duration DEFAULT_END_AFTER = Duration.ofSeconds(1);

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.testsupport.ServerKind#plain")
	void eventStreamThatTheApplicationCompletesOnTheDrainEventEndsCleanlyAtOnce(ServerKind kind) throws Exception {
		try (TestServer server = kind.start(TIMEOUT, NO_QUIET_PERIOD, STARTER_ENDS_NOTHING)) {
			EventStream stream = EventStream.open(server,
					"/async/sse?events=1000&intervalMillis=100&completeOnDrain=true");

			long start = System.nanoTime();
			CompletableFuture<DrainResult> drain = server.terminator().terminate();
			List<String> rest = stream.readToTheEnd();
			Duration ended = since(start);

			assertEndsAfterCompleteEvents(rest);
			assertThat(ended).as("stream ended by the application").isLessThan(Duration.ofSeconds(2));
			DrainResult result = drain.get(5, TimeUnit.SECONDS);
			assertThat(result.forced()).isZero();
			assertThat(result.idleClosed() + result.completed()).isEqualTo(1);
			assertThat(result.duration()).isLessThan(Duration.ofSeconds(3));
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.testsupport.ServerKind#all")
	void eventStreamLeftOpenByTheApplicationIsEndedCleanlyAfterEndAfter(ServerKind kind) throws Exception {
		try (TestServer server = kind.start(TIMEOUT, NO_QUIET_PERIOD)) {
			EventStream stream = EventStream.open(server, "/async/sse?events=1000&intervalMillis=100");
			AsyncEndpoints endpoints = server.context().getBean(AsyncEndpoints.class);

			long start = System.nanoTime();
			CompletableFuture<DrainResult> drain = server.terminator().terminate();
			List<String> rest = stream.readToTheEnd();
			Duration ended = since(start);

			assertEndsAfterCompleteEvents(rest);
			assertThat(rest).as("the stream went on until terminator ended it").contains("data:event 5");
			assertThat(ended).as("stream ended at terminator.async.end-after")
				.isBetween(DEFAULT_END_AFTER, DEFAULT_END_AFTER.plusSeconds(2));
			DrainResult result = drain.get(5, TimeUnit.SECONDS);
			assertThat(result.forced()).isZero();
			assertThat(result.idleClosed() + result.completed()).isEqualTo(1);
			assertThat(result.duration()).isLessThan(DEFAULT_END_AFTER.plusSeconds(2));
			await().until(() -> endpoints.completed() == 1);
			assertThat(endpoints.inProgress()).isZero();
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.testsupport.ServerKind#plain")
	void longPollLeftOpenGets503WithConnectionCloseAfterEndAfter(ServerKind kind) throws Exception {
		try (TestServer server = kind.start(TIMEOUT, NO_QUIET_PERIOD)) {
			AsyncEndpoints endpoints = server.context().getBean(AsyncEndpoints.class);
			RawConnection poll = server.connect();
			poll.send("GET", "/async/long-poll", null);
			await().until(() -> endpoints.inProgress() == 1);

			long start = System.nanoTime();
			CompletableFuture<DrainResult> drain = server.terminator().terminate();
			Response response = poll.readResponse();
			Duration answered = since(start);

			assertThat(response.status()).isEqualTo(503);
			assertThat(response.asksToClose()).as("Connection: close").isTrue();
			assertThat(answered).isBetween(DEFAULT_END_AFTER, DEFAULT_END_AFTER.plusSeconds(2));
			assertThat(poll.awaitClosed(Duration.ofSeconds(2))).as("closed after the 503").isTrue();
			DrainResult result = drain.get(5, TimeUnit.SECONDS);
			assertThat(List.of(result.idleClosed(), result.completed(), result.forced())).containsExactly(0, 1, 0);
			await().until(() -> endpoints.completed() == 1);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.testsupport.ServerKind#plain")
	void longPollThatTheApplicationAnswersOnTheDrainEventGetsItsAnswer(ServerKind kind) throws Exception {
		try (TestServer server = kind.start(TIMEOUT, NO_QUIET_PERIOD, "terminator.async.end-after=0s")) {
			AsyncEndpoints endpoints = server.context().getBean(AsyncEndpoints.class);
			RawConnection poll = server.connect();
			poll.send("GET", "/async/long-poll?answerOnDrain=true", null);
			await().until(() -> endpoints.inProgress() == 1);

			CompletableFuture<DrainResult> drain = server.terminator().terminate();
			Response response = poll.readResponse();

			// Set by the application on the drain thread, before terminator ends
			// anything, even at once.
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.body()).isEqualTo("answered on drain");
			assertThat(response.asksToClose()).isTrue();
			DrainResult result = drain.get(5, TimeUnit.SECONDS);
			assertThat(List.of(result.idleClosed(), result.completed(), result.forced())).containsExactly(0, 1, 0);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.testsupport.ServerKind#plain")
	void callableOutlivingEndAfterStillCompletesNormally(ServerKind kind) throws Exception {
		try (TestServer server = kind.start(TIMEOUT, NO_QUIET_PERIOD)) {
			AsyncEndpoints endpoints = server.context().getBean(AsyncEndpoints.class);
			RawConnection call = server.connect();
			call.send("GET", "/async/callable?millis=2000", null);
			await().until(() -> endpoints.inProgress() == 1);

			CompletableFuture<DrainResult> drain = server.terminator().terminate();
			await().until(() -> server.terminator().state() == TerminatorState.DRAINING);
			Response response = call.readResponse();

			assertThat(response.status()).isEqualTo(200);
			assertThat(response.body()).isEqualTo("callable after PT2S");
			assertThat(response.asksToClose()).isTrue();
			DrainResult result = drain.get(5, TimeUnit.SECONDS);
			assertThat(List.of(result.idleClosed(), result.completed(), result.forced())).containsExactly(0, 1, 0);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.testsupport.ServerKind#plain")
	void completableFutureOutlivingEndAfterGetsItsAnswer(ServerKind kind) throws Exception {
		try (TestServer server = kind.start(TIMEOUT, NO_QUIET_PERIOD)) {
			AsyncEndpoints endpoints = server.context().getBean(AsyncEndpoints.class);
			RawConnection call = server.connect();
			call.send("GET", "/async/future?millis=2500", null);
			await().until(() -> endpoints.inProgress() == 1);

			long start = System.nanoTime();
			CompletableFuture<DrainResult> drain = server.terminator().terminate();
			Response response = call.readResponse();
			Duration answered = since(start);

			// Answered by the backend, not ended at terminator.async.end-after.
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.body()).isEqualTo("future after PT2.5S");
			assertThat(response.asksToClose()).isTrue();
			assertThat(answered).isGreaterThan(DEFAULT_END_AFTER);
			DrainResult result = drain.get(5, TimeUnit.SECONDS);
			assertThat(List.of(result.idleClosed(), result.completed(), result.forced())).containsExactly(0, 1, 0);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.testsupport.Container#supported")
	void contextWithOpenStreamAndLongPollClosesLongBeforeTheTimeout(Container container) throws Exception {
		// terminator's defaults: 30 s timeout, 2 s quiet period, async requests ended 1 s
		// into the drain.
		try (TestServer server = TestServer.start(container, false)) {
			AsyncEndpoints endpoints = server.context().getBean(AsyncEndpoints.class);
			EventStream stream = EventStream.open(server, "/async/sse?events=1000&intervalMillis=100");
			RawConnection poll = server.connect();
			poll.send("GET", "/async/long-poll", null);
			await().until(() -> endpoints.inProgress() == 2);
			HttpTerminator terminator = server.terminator();

			long start = System.nanoTime();
			CompletableFuture<List<String>> rest = CompletableFuture.supplyAsync(stream::readToTheEnd);
			server.close();
			Duration closed = since(start);

			assertEndsAfterCompleteEvents(rest.get(1, TimeUnit.SECONDS));
			assertThat(poll.readResponse().status()).isEqualTo(503);
			// The end of the stream leaves its connection idle: closed once the quiet
			// period has passed.
			assertThat(closed).as("context close").isLessThan(Duration.ofSeconds(6));
			DrainResult result = terminator.drainResult();
			assertThat(result.forced()).isZero();
			assertThat(result.idleClosed() + result.completed()).isEqualTo(2);
		}
	}

	private static void assertEndsAfterCompleteEvents(List<String> lines) {
		for (int i = 0; i < lines.size(); i += 2) {
			assertThat(lines.get(i)).as("line %d of %s", i, lines).startsWith("data:event ");
			assertThat(i + 1).as("blank line ending the event on line %d of %s", i, lines).isLessThan(lines.size());
			assertThat(lines.get(i + 1)).as("line %d of %s", i + 1, lines).isEmpty();
		}
	}

	private static Duration since(long nanoTime) {
		return Duration.ofNanos(System.nanoTime() - nanoTime);
	}

	/**
	 * A stream of server-sent events read line by line with the JDK's HTTP client, over
	 * HTTP/1.1, as a real client reads one.
	 */
	private static final class EventStream {

		private final Iterator<String> lines;

		private EventStream(Iterator<String> lines) {
			this.lines = lines;
		}

		/**
		 * Open the stream and read its first event.
		 */
		static EventStream open(TestServer server, String path) throws Exception {
			HttpClient.Builder client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1);
			if (server.isTls()) {
				client.sslContext(server.clientTls());
			}
			HttpResponse<Stream<String>> response = client.build()
				.send(HttpRequest.newBuilder(server.uri(path)).header("Accept", "text/event-stream").build(),
						BodyHandlers.ofLines());
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.headers().firstValue("Content-Type"))
				.hasValueSatisfying((contentType) -> assertThat(contentType).startsWith("text/event-stream"));
			Iterator<String> lines = response.body().iterator();
			assertThat(lines.next()).isEqualTo("data:event 0");
			assertThat(lines.next()).isEmpty();
			return new EventStream(lines);
		}

		/**
		 * Read until the server ends the stream. A reset or a cut ends it with an
		 * exception instead.
		 * @return the lines that followed the first event
		 */
		List<String> readToTheEnd() {
			List<String> rest = new ArrayList<>();
			this.lines.forEachRemaining(rest::add);
			return rest;
		}

	}

}
