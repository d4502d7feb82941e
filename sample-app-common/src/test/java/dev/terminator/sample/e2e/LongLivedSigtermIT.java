package dev.terminator.sample.e2e;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.terminator.sample.SampleContainer;
import dev.terminator.testsupport.RawConnection;
import dev.terminator.testsupport.RawConnection.Response;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM to the sample jar with an open WebSocket ({@code /ws/echo}), an open
 * server-sent event stream ({@code /sse}) and an async request in flight ({@code /async},
 * a {@code CompletableFuture} answered 3 s after it started), on every container of the
 * sample under test: the WebSocket gets close 1001 and the stream ends cleanly, each
 * within a second, the async request gets its answer, and the process exits once it has
 * instead of waiting for {@code terminator.timeout}.
 */
class LongLivedSigtermIT {

	private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

	private static final Duration PROMPTLY = Duration.ofSeconds(1);

	/**
	 * The quiet period the idle connections of the test's own HTTP client get before the
	 * drain closes them.
	 */
	private static final Duration QUIET_PERIOD = Duration.ofSeconds(2);

	/**
	 * How long the backend of the async request in flight takes to answer: longer than
	 * {@link #ASYNC_END_AFTER} into the drain.
	 */
	private static final Duration ASYNC_ANSWER = Duration.ofSeconds(3);

	private static final Duration ASYNC_END_AFTER = Duration.ofSeconds(1);

	private static final int GOING_AWAY = 1001;

	private static final int SIGTERM_EXIT_CODE = 143;

	static Stream<String> containers() {
		return Stream.of(SampleContainer.values()).map((container) -> container.name().toLowerCase(Locale.ROOT));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("containers")
	void sigtermClosesTheWebSocketEndsTheEventStreamAnswersTheAsyncRequestThenExits(String container) throws Exception {
		List<String> arguments = List.of("--sample.container=" + container, "--server.address=127.0.0.1",
				"--server.port=0", "--spring.main.banner-mode=off",
				"--terminator.timeout=" + DRAIN_TIMEOUT.toSeconds() + "s");
		Path log = Path.of("target", "e2e", container + "-long-lived.log");
		try (SampleAppProcess app = SampleAppProcess.start(log, arguments)) {
			int port = app.ports().get(0);
			// First, so that its connection is accepted before those below: in flight at
			// SIGTERM.
			try (RawConnection async = RawConnection.open(port, null)) {
				async.send("GET", "/async?millis=" + ASYNC_ANSWER.toMillis(), null);
				HttpClient client = HttpClient.newHttpClient();
				Echo echo = new Echo();
				WebSocket webSocket = client.newWebSocketBuilder()
					.buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/echo"), echo)
					.get(10, TimeUnit.SECONDS);
				webSocket.sendText("ping", true).get(5, TimeUnit.SECONDS);
				assertThat(echo.texts.poll(5, TimeUnit.SECONDS)).isEqualTo("ping");

				HttpResponse<Stream<String>> events = client.send(HttpRequest
					.newBuilder(URI.create("http://127.0.0.1:" + port + "/sse?events=1000&intervalMillis=200"))
					.build(), BodyHandlers.ofLines());
				assertThat(events.statusCode()).isEqualTo(200);
				CompletableFuture<Long> eventsRead = CompletableFuture.supplyAsync(() -> countEvents(events.body()));

				long sigtermAt = System.nanoTime();
				app.sigterm();

				int code = echo.closed.get(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS);
				assertThat(code).as("WebSocket close code").isEqualTo(GOING_AWAY);
				assertThat(since(sigtermAt)).as("WebSocket closed after SIGTERM").isLessThan(PROMPTLY);
				long count = eventsRead.get(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS);
				assertThat(count).as("events before the stream ended").isPositive();
				assertThat(since(sigtermAt)).as("event stream ended after SIGTERM").isLessThan(PROMPTLY);
				Response answer = async.readResponse();
				assertThat(answer.status()).as("async request in flight").isEqualTo(200);
				assertThat(answer.body()).isEqualTo("async");
				assertThat(answer.asksToClose()).isTrue();
				assertThat(since(sigtermAt)).as("async request answered after terminator.async.end-after")
					.isGreaterThan(ASYNC_END_AFTER);

				int exitCode = app.awaitExit(DRAIN_TIMEOUT.plusSeconds(10));
				assertThat(exitCode).isEqualTo(SIGTERM_EXIT_CODE);
				assertThat(since(sigtermAt)).as("time from SIGTERM to exit")
					.isLessThan(Duration.ofSeconds(3).plus(QUIET_PERIOD));
				assertThat(app.logLine("Drained " + container + " in "))
					.hasValueSatisfying((summary) -> assertThat(summary).endsWith(", 0 forced"));
			}
		}
	}

	/**
	 * Read the stream to its end: an {@code IOException} (a cut stream) fails the test, a
	 * clean end returns.
	 */
	private static long countEvents(Stream<String> lines) {
		try (lines) {
			return lines.filter((line) -> line.startsWith("data:")).count();
		}
		catch (UncheckedIOException ex) {
			throw new AssertionError("event stream cut instead of ended", ex);
		}
	}

	private static Duration since(long nanoTime) {
		return Duration.ofNanos(System.nanoTime() - nanoTime);
	}

	private static final class Echo implements WebSocket.Listener {

		private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();

		private final CompletableFuture<Integer> closed = new CompletableFuture<>();

		private final StringBuilder text = new StringBuilder();

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.text.append(data);
			if (last) {
				this.texts.add(this.text.toString());
				this.text.setLength(0);
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			this.closed.complete(statusCode);
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			this.closed.completeExceptionally(error);
		}

	}

}
