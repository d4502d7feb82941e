package dev.terminator.sample.e2e;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.terminator.sample.SampleContainer;
import dev.terminator.sample.SampleStack;
import dev.terminator.testsupport.RawConnection;
import dev.terminator.testsupport.RawConnection.Response;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM to the sample jar with two open WebSockets ({@code /ws/echo}), an open
 * server-sent event stream ({@code /sse}) and an async request in flight ({@code /async},
 * a {@code CompletableFuture} answered 3 s after it started), on every container of the
 * sample under test: the WebSockets get close 1001 and the stream ends cleanly, each
 * within a second, the async request gets its answer, and the process exits once it has
 * instead of waiting for {@code terminator.timeout}. On the reactive stack, on every
 * server of the sample, the same, with keep-alive {@code POST} load on plain HTTP from
 * before SIGTERM until the server refuses connections: no request lost.
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

	private static final int LOAD_CLIENTS = 4;

	static Stream<Arguments> servers() {
		Stream<Arguments> servlet = Stream.of(SampleContainer.values())
			.filter((container) -> container != SampleContainer.NETTY)
			.map((container) -> Arguments.of(SampleStack.SERVLET, container.name().toLowerCase(Locale.ROOT)));
		Stream<Arguments> reactive = Stream.of(SampleContainer.values())
			.map((container) -> Arguments.of(SampleStack.REACTIVE, container.name().toLowerCase(Locale.ROOT)));
		return Stream.concat(servlet, reactive);
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("servers")
	void sigtermClosesTheWebSocketsEndsTheEventStreamAnswersTheAsyncRequestThenExits(SampleStack stack,
			String container) throws Exception {
		String stackName = stack.name().toLowerCase(Locale.ROOT);
		List<String> arguments = List.of("--sample.stack=" + stackName, "--sample.container=" + container,
				"--server.address=127.0.0.1", "--server.port=0", "--spring.main.banner-mode=off",
				"--terminator.timeout=" + DRAIN_TIMEOUT.toSeconds() + "s");
		Path log = Path.of("target", "e2e", stackName + "-" + container + "-long-lived.log");
		try (SampleAppProcess app = SampleAppProcess.start(log, arguments);
				// A second WebSocket, whose client answers the close frame and keeps its
				// end of the connection open after the server's (RFC 6455, section
				// 7.1.1): the JDK's client closes its end at once, which hid that
				// Undertow only shut its output and waited for the client to close.
				PatientWebSocket patient = PatientWebSocket.open(app.ports().get(0), "/ws/echo");
				// Before the connections below, so that it is accepted before them: in
				// flight at SIGTERM.
				RawConnection async = RawConnection.open(app.ports().get(0), null)) {
			int port = app.ports().get(0);
			async.send("GET", "/async?millis=" + ASYNC_ANSWER.toMillis(), null);
			HttpClient client = HttpClient.newHttpClient();
			Echo echo = new Echo();
			WebSocket webSocket = client.newWebSocketBuilder()
				.buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/echo"), echo)
				.get(10, TimeUnit.SECONDS);
			webSocket.sendText("ping", true).get(5, TimeUnit.SECONDS);
			assertThat(echo.texts.poll(5, TimeUnit.SECONDS)).isEqualTo("ping");

			CompletableFuture<Integer> patientClosed = CompletableFuture.supplyAsync(patient::awaitCloseAndEnd);

			HttpResponse<Stream<String>> events = client.send(HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + port + "/sse?events=1000&intervalMillis=200"))
				.build(), BodyHandlers.ofLines());
			assertThat(events.statusCode()).isEqualTo(200);
			CompletableFuture<Long> eventsRead = CompletableFuture.supplyAsync(() -> countEvents(events.body()));
			KeepAliveLoad load = (stack == SampleStack.REACTIVE) ? KeepAliveLoad.start(port, null, LOAD_CLIENTS) : null;

			long sigtermAt = System.nanoTime();
			app.sigterm();

			int code = echo.closed.get(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS);
			assertThat(code).as("WebSocket close code").isEqualTo(GOING_AWAY);
			assertThat(since(sigtermAt)).as("WebSocket closed after SIGTERM").isLessThan(PROMPTLY);
			assertThat(patientClosed.get(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS))
				.as("close code, then the server closed the connection")
				.isEqualTo(GOING_AWAY);
			assertThat(since(sigtermAt)).as("server closed the patient WebSocket after SIGTERM").isLessThan(PROMPTLY);
			if (stack == SampleStack.REACTIVE && "undertow".equals(container)) {
				// WebFlux on Undertow: Spring's session keeps Undertow's channel to
				// itself, so the server cannot close the connection after the close
				// handshake as on the servlet stack: it stays open until the client
				// closes its end (a documented limit), or the drain's cut.
				patient.close();
			}
			long count = eventsRead.get(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS);
			assertThat(count).as("events before the stream ended").isPositive();
			assertThat(since(sigtermAt)).as("event stream ended after SIGTERM").isLessThan(PROMPTLY);
			Response answer = async.readResponse();
			assertThat(answer.status()).as("async request in flight").isEqualTo(200);
			assertThat(answer.body()).isEqualTo("async");
			assertThat(answer.asksToClose()).isTrue();
			assertThat(since(sigtermAt)).as("async request answered after terminator.async.end-after")
				.isGreaterThan(ASYNC_END_AFTER);

			if (load != null) {
				try (load) {
					assertThat(load.awaitRefused(Duration.ofSeconds(10)))
						.as("load clients refused once the drain began: %s", load)
						.isTrue();
					assertThat(load.lostOnReusedConnections())
						.as("requests lost on reused connections by the keep-alive load: %s", load)
						.isEmpty();
					assertThat(load.answered()).as("requests answered to the keep-alive load").isPositive();
				}
			}
			int exitCode = app.awaitExit(DRAIN_TIMEOUT.plusSeconds(10));
			assertThat(exitCode).isEqualTo(SIGTERM_EXIT_CODE);
			assertThat(since(sigtermAt)).as("time from SIGTERM to exit")
				.isLessThan(Duration.ofSeconds(3).plus(QUIET_PERIOD));
			assertThat(app.logLine("Drained " + container + " in "))
				.hasValueSatisfying((summary) -> assertThat(summary).contains(", 0 forced;"));
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

	/**
	 * A WebSocket client on a plain socket that answers the server's close frame and
	 * keeps its end of the connection open until closed, whatever the server does.
	 */
	private static final class PatientWebSocket implements AutoCloseable {

		private static final int TEXT = 0x1;

		private static final int CLOSE = 0x8;

		private static final Duration ANSWER_AFTER_END_WITHIN = Duration.ofMillis(200);

		private final Socket socket;

		private final DataInputStream in;

		private PatientWebSocket(Socket socket) throws IOException {
			this.socket = socket;
			this.in = new DataInputStream(socket.getInputStream());
		}

		static PatientWebSocket open(int port, String path) throws IOException {
			Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
			socket.setSoTimeout((int) DRAIN_TIMEOUT.plusSeconds(5).toMillis());
			PatientWebSocket client = new PatientWebSocket(socket);
			String key = Base64.getEncoder().encodeToString(new byte[16]);
			socket.getOutputStream()
				.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
						+ "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
					.getBytes(StandardCharsets.ISO_8859_1));
			StringBuilder head = new StringBuilder();
			while (!head.toString().endsWith("\r\n\r\n")) {
				head.append((char) client.in.readUnsignedByte());
			}
			assertThat(head.toString()).startsWith("HTTP/1.1 101");
			// The echo says the session is open, so that the drain finds it to close.
			client.send(TEXT, "ping".getBytes(StandardCharsets.UTF_8));
			assertThat(client.in.readUnsignedByte()).isEqualTo(0x80 | TEXT);
			assertThat(new String(client.in.readNBytes(client.in.readUnsignedByte()), StandardCharsets.UTF_8))
				.isEqualTo("ping");
			return client;
		}

		/**
		 * Wait for the server's close frame, answer it, then wait for the server to close
		 * its end of the connection.
		 * @return the close code
		 */
		int awaitCloseAndEnd() {
			try {
				assertThat(this.in.readUnsignedByte()).as("FIN and close opcode").isEqualTo(0x80 | CLOSE);
				byte[] payload = this.in.readNBytes(this.in.readUnsignedByte());
				// Undertow shuts its output right after its close frame, Tomcat and Jetty
				// wait for the answer first. Answering after Undertow's end of stream, as
				// a client a network away would, avoids the race in which an answer read
				// before Undertow has flushed its own close frame makes it close the
				// connection itself.
				boolean endedFirst = endsWithin(ANSWER_AFTER_END_WITHIN);
				send(CLOSE, payload);
				if (!endedFirst) {
					assertThat(this.in.read()).as("end of stream").isEqualTo(-1);
				}
				return ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		private boolean endsWithin(Duration timeout) throws IOException {
			int readTimeout = this.socket.getSoTimeout();
			this.socket.setSoTimeout((int) timeout.toMillis());
			try {
				assertThat(this.in.read()).as("end of stream, nothing after the close frame").isEqualTo(-1);
				return true;
			}
			catch (SocketTimeoutException ex) {
				return false;
			}
			finally {
				this.socket.setSoTimeout(readTimeout);
			}
		}

		@Override
		public void close() throws IOException {
			this.socket.close();
		}

		private void send(int opcode, byte[] payload) throws IOException {
			byte[] mask = { 1, 2, 3, 4 };
			byte[] frame = new byte[6 + payload.length];
			frame[0] = (byte) (0x80 | opcode);
			frame[1] = (byte) (0x80 | payload.length);
			System.arraycopy(mask, 0, frame, 2, 4);
			for (int i = 0; i < payload.length; i++) {
				frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
			}
			this.socket.getOutputStream().write(frame);
		}

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
