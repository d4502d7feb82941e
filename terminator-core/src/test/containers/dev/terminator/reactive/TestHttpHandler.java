package dev.terminator.reactive;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.ResolvableType;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.EncoderHttpMessageWriter;
import org.springframework.http.codec.ServerSentEventHttpMessageWriter;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;

/**
 * The application of the WebFlux tests, an {@link HttpHandler} as WebFlux builds one:
 * {@code /hello} answers at once, {@code /slow} with a {@code Mono} that waits for the
 * test, {@code /events} streams server-sent events through Spring's own writer,
 * {@code /lines} streams NDJSON through Spring's encoder writer, {@code /own-events}
 * streams events the application ends itself at the drain's start.
 */
final class TestHttpHandler implements HttpHandler {

	static final Duration EVENT_INTERVAL = Duration.ofMillis(50);

	private final ServerSentEventHttpMessageWriter events = new ServerSentEventHttpMessageWriter();

	private final EncoderHttpMessageWriter<String> lines = new EncoderHttpMessageWriter<>(new LineEncoder());

	private final ReactiveDrainSignal drainSignal;

	private final CompletableFuture<String> slowBody = new CompletableFuture<>();

	private final CompletableFuture<Void> slowStarted = new CompletableFuture<>();

	// What each response's Connection header was as it committed, in the order of their
	// commits: seen from inside, where HTTP/2 would not strip it.
	private final List<String> connectionHeaders = new CopyOnWriteArrayList<>();

	TestHttpHandler(ReactiveDrainSignal drainSignal) {
		this.drainSignal = drainSignal;
	}

	@Override
	public Mono<Void> handle(ServerHttpRequest request, ServerHttpResponse response) {
		response.beforeCommit(() -> {
			this.connectionHeaders.add(String.valueOf(response.getHeaders().getFirst(HttpHeaders.CONNECTION)));
			return Mono.empty();
		});
		return switch (request.getPath().value()) {
			case "/slow" -> {
				this.slowStarted.complete(null);
				yield response.writeWith(Mono.fromFuture(this.slowBody).map((body) -> buffer(response, body)));
			}
			case "/events" -> writeEvents(response, ticks());
			case "/lines" -> this.lines.write(ticks().map((tick) -> "line " + tick),
					ResolvableType.forClass(String.class), MediaType.APPLICATION_NDJSON, response, Map.of());
			case "/own-events" -> writeEvents(response, ticks().takeUntilOther(this.drainSignal.drainStarted()));
			default -> response.writeWith(Mono.fromSupplier(() -> buffer(response, "hello")));
		};
	}

	// Not Flux.interval, which fails the stream when a busy server has not asked for the
	// next tick yet.
	private static Flux<Integer> ticks() {
		return Flux.range(0, Integer.MAX_VALUE).delayElements(EVENT_INTERVAL);
	}

	private Mono<Void> writeEvents(ServerHttpResponse response, Flux<Integer> ticks) {
		return this.events.write(ticks.map((tick) -> "event " + tick), ResolvableType.forClass(String.class),
				MediaType.TEXT_EVENT_STREAM, response, Map.of());
	}

	private static DataBuffer buffer(ServerHttpResponse response, String text) {
		return response.bufferFactory().wrap(text.getBytes(StandardCharsets.UTF_8));
	}

	CompletableFuture<Void> slowStarted() {
		return this.slowStarted;
	}

	void releaseSlow(String body) {
		this.slowBody.complete(body);
	}

	List<String> connectionHeaders() {
		return this.connectionHeaders;
	}

}
