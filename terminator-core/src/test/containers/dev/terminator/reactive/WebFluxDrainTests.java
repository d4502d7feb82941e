package dev.terminator.reactive;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.terminator.core.HttpTerminator;
import dev.terminator.core.TerminatorSettings;
import dev.terminator.testsupport.RawConnection;
import dev.terminator.testsupport.RawHttp2Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.http.server.reactive.HttpHandler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The WebFlux pieces on bare servers running Spring's {@link HttpHandler} adapters, with
 * real clients: {@code Connection: close} while the server closes connections, streams
 * ended cleanly at {@code end-after}, slow {@code Mono} responses left alone, and the
 * drain signal.
 */
class WebFluxDrainTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@ParameterizedTest
	@EnumSource(ReactiveServer.Kind.class)
	void responsesAskToCloseOnlyOnceTheServerClosesConnections(ReactiveServer.Kind kind) throws Exception {
		try (Running running = Running.start(kind, TIMEOUT); RawConnection connection = running.server.connect()) {
			RawConnection.Response before = connection.get("/hello");
			assertThat(before.status()).isEqualTo(200);
			assertThat(before.asksToClose()).isFalse();
			running.drain(TIMEOUT);
			RawConnection.Response during = connection.get("/hello");
			assertThat(during.body()).isEqualTo("hello");
			assertThat(during.asksToClose()).isTrue();
			assertThat(connection.awaitClosed(Duration.ofSeconds(5))).isTrue();
		}
	}

	@Test
	void http2ResponsesNeverAskToClose() throws Exception {
		try (Running running = Running.start(ReactiveServer.Kind.REACTOR_NETTY, TIMEOUT)) {
			running.drain(TIMEOUT);
			try (RawConnection http1 = running.server.connect()) {
				assertThat(http1.get("/hello").asksToClose()).isTrue();
			}
			try (RawHttp2Connection http2 = RawHttp2Connection.open(running.server)) {
				int stream = http2.get("/hello");
				await().until(() -> http2.response(stream) != null);
				assertThat(http2.response(stream).status()).isEqualTo(200);
			}
			// As each response committed: the HTTP/1.1 one with the header, the h2 one
			// without (Netty would strip it; the decorator does not set it).
			assertThat(running.app.connectionHeaders()).containsExactly("close", "null");
		}
	}

	@ParameterizedTest
	@EnumSource(ReactiveServer.Kind.class)
	void streamsEndCleanlyAtEndAfterAndStreamsStartedLaterAtOnce(ReactiveServer.Kind kind) throws Exception {
		Duration endAfter = Duration.ofMillis(500);
		try (Running running = Running.start(kind, endAfter); RawConnection stream = running.server.connect()) {
			stream.send("GET", "/events", null);
			RawConnection.Head head = stream.readHead();
			assertThat(head.headers().get("Content-Type")).startsWith("text/event-stream");
			assertThat(stream.readChunk()).isEqualTo("data:event 0\n\n");
			long drainStart = System.nanoTime();
			running.terminator.drain(TIMEOUT);
			List<String> afterDrainStart = readEventsToTheEnd(stream, head);
			Duration ended = Duration.ofNanos(System.nanoTime() - drainStart);
			assertThat(ended).isBetween(endAfter, endAfter.plusSeconds(2));
			assertThat(afterDrainStart).isNotEmpty().allSatisfy((chunk) -> assertThat(chunk).endsWith("\n\n"));
			try (RawConnection later = running.server.connect()) {
				long start = System.nanoTime();
				later.send("GET", "/events", null);
				RawConnection.Head laterHead = later.readHead();
				assertThat(laterHead.asksToClose()).isTrue();
				readEventsToTheEnd(later, laterHead);
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
			}
		}
	}

	@ParameterizedTest
	@EnumSource(ReactiveServer.Kind.class)
	void ndjsonStreamsEndCleanlyAtEndAfter(ReactiveServer.Kind kind) throws Exception {
		Duration endAfter = Duration.ofMillis(300);
		try (Running running = Running.start(kind, endAfter); RawConnection stream = running.server.connect()) {
			stream.send("GET", "/lines", null);
			RawConnection.Head head = stream.readHead();
			assertThat(head.headers().get("Content-Type")).startsWith("application/x-ndjson");
			assertThat(stream.readChunk()).isEqualTo("line 0\n");
			long drainStart = System.nanoTime();
			running.terminator.drain(TIMEOUT);
			List<String> afterDrainStart = readEventsToTheEnd(stream, head);
			assertThat(Duration.ofNanos(System.nanoTime() - drainStart)).isBetween(endAfter, endAfter.plusSeconds(2));
			assertThat(afterDrainStart).isNotEmpty().allSatisfy((chunk) -> assertThat(chunk).matches("line \\d+\n"));
		}
	}

	@ParameterizedTest
	@EnumSource(ReactiveServer.Kind.class)
	void slowMonoResponsesAreNotEnded(ReactiveServer.Kind kind) throws Exception {
		try (Running running = Running.start(kind, Duration.ofMillis(100));
				RawConnection slow = running.server.connect()) {
			slow.send("GET", "/slow", null);
			running.app.slowStarted().get();
			running.terminator.drain(TIMEOUT);
			// A stream's end tells that the streams were ended.
			try (RawConnection stream = running.server.connect()) {
				stream.send("GET", "/events", null);
				readEventsToTheEnd(stream, stream.readHead());
			}
			running.app.releaseSlow("slow body");
			RawConnection.Response response = slow.readResponse();
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.body()).isEqualTo("slow body");
			assertThat(response.asksToClose()).isTrue();
		}
	}

	@ParameterizedTest
	@EnumSource(ReactiveServer.Kind.class)
	void nothingIsEndedWhenEndAfterIsNotShorterThanTheTimeout(ReactiveServer.Kind kind) throws Exception {
		Duration timeout = Duration.ofMillis(300);
		try (Running running = Running.start(kind, timeout); RawConnection stream = running.server.connect()) {
			stream.send("GET", "/events", null);
			stream.readHead();
			assertThat(stream.readChunk()).isNotNull();
			long drainStart = System.nanoTime();
			running.terminator.drain(timeout);
			// No adapter cuts the connection at the timeout here: the stream goes on.
			while (Duration.ofNanos(System.nanoTime() - drainStart).compareTo(timeout.plusMillis(500)) < 0) {
				assertThat(stream.readChunk()).startsWith("data:event ");
			}
		}
	}

	@ParameterizedTest
	@EnumSource(ReactiveServer.Kind.class)
	void applicationsEndTheirOwnStreamsOnTheDrainSignal(ReactiveServer.Kind kind) throws Exception {
		Duration endAfter = Duration.ofSeconds(8);
		try (Running running = Running.start(kind, endAfter); RawConnection stream = running.server.connect()) {
			stream.send("GET", "/own-events", null);
			RawConnection.Head head = stream.readHead();
			assertThat(stream.readChunk()).isEqualTo("data:event 0\n\n");
			long drainStart = System.nanoTime();
			running.terminator.drain(TIMEOUT);
			readEventsToTheEnd(stream, head);
			assertThat(Duration.ofNanos(System.nanoTime() - drainStart)).isLessThan(Duration.ofSeconds(2));
		}
	}

	@Test
	void drainSignalCompletesWhenTheDrainBeginsOrAtOnceIfItHasBegun() {
		HttpTerminator terminator = new HttpTerminator(
				new TerminatorSettings(TIMEOUT, Duration.ZERO, TerminatorSettings.DEFAULT_QUIET_PERIOD));
		ReactiveDrainSignal before = new ReactiveDrainSignal(terminator);
		assertThat(before.drainStarted().toFuture()).isNotDone();
		terminator.drain(TIMEOUT);
		assertThat(before.drainStarted().toFuture()).succeedsWithin(Duration.ofSeconds(5));
		assertThat(new ReactiveDrainSignal(terminator).drainStarted().toFuture()).isDone();
	}

	// A clean end: every chunk whole, then the last (empty) chunk; or, for a response
	// that asked to close the connection before it began (no chunked encoding then),
	// whole events up to the end of the stream.
	private static List<String> readEventsToTheEnd(RawConnection connection, RawConnection.Head head) throws Exception {
		if (!head.headers().getOrDefault("Transfer-Encoding", "").contains("chunked")) {
			String body = connection.readBody(head);
			assertThat(body).satisfiesAnyOf((text) -> assertThat(text).isEmpty(),
					(text) -> assertThat(text).endsWith("\n\n"));
			return List.of(body.split("(?<=\n\n)"));
		}
		List<String> chunks = new ArrayList<>();
		for (String chunk = connection.readChunk(); chunk != null; chunk = connection.readChunk()) {
			chunks.add(chunk);
		}
		return chunks;
	}

	private record Running(ReactiveServer server, HttpTerminator terminator,
			TestHttpHandler app) implements AutoCloseable {

		static Running start(ReactiveServer.Kind kind, Duration endAfter) throws Exception {
			HttpTerminator terminator = new HttpTerminator(
					new TerminatorSettings(TIMEOUT, Duration.ZERO, TerminatorSettings.DEFAULT_QUIET_PERIOD));
			TestHttpHandler app = new TestHttpHandler(new ReactiveDrainSignal(terminator));
			HttpHandler handler = new StreamEndingHttpHandlerDecorator(terminator, endAfter)
				.apply(new ConnectionCloseHttpHandlerDecorator(terminator::isClosingConnections).apply(app));
			return new Running(kind.start(handler), terminator, app);
		}

		// The drain begins on the terminator's thread: from then on responses ask to
		// close.
		void drain(Duration timeout) {
			this.terminator.drain(timeout);
			await().until(this.terminator::isClosingConnections);
		}

		@Override
		public void close() throws Exception {
			this.server.close();
		}

	}

}
