package dev.terminator.sample;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The endpoints that show a drain, on Spring WebFlux: the same paths and answers as
 * {@link SampleController}, written as a WebFlux application writes them (no handler
 * blocks an event loop).
 */
@RestController
@ConditionalOnWebApplication(type = Type.REACTIVE)
class ReactiveSampleController {

	private final ReactiveEventStreams eventStreams;

	ReactiveSampleController(ReactiveEventStreams eventStreams) {
		this.eventStreams = eventStreams;
	}

	@GetMapping(path = "/hello", produces = MediaType.TEXT_PLAIN_VALUE)
	String hello() {
		return "hello";
	}

	@GetMapping(path = "/slow", produces = MediaType.TEXT_PLAIN_VALUE)
	Mono<String> slow(@RequestParam(defaultValue = "1000") long millis,
			@RequestParam(defaultValue = "false") boolean ignoreInterrupt) {
		if (!ignoreInterrupt) {
			return Mono.delay(Duration.ofMillis(millis)).thenReturn("slow");
		}
		// Blocking code belongs on a worker thread, never on an event loop.
		return Mono.fromCallable(() -> {
			UninterruptibleSleep.sleep(Duration.ofMillis(millis));
			return "slow";
		}).subscribeOn(Schedulers.boundedElastic());
	}

	/**
	 * A body written in chunks, each flushed as it is written, so that the response is
	 * committed with its first line. On WebFlux, a body written with flushes
	 * ({@code writeAndFlushWith}) is a stream: terminator ends it cleanly, after a whole
	 * chunk, at {@code terminator.async.end-after} into the drain, as it ends
	 * {@code /sse}.
	 */
	@GetMapping("/stream")
	Mono<Void> stream(@RequestParam(defaultValue = "10") int chunks,
			@RequestParam(defaultValue = "100") long intervalMillis, ServerHttpResponse response) {
		response.getHeaders().setContentType(MediaType.TEXT_PLAIN);
		Flux<Mono<DataBuffer>> lines = Flux.range(0, chunks)
			.delayUntil((chunk) -> (chunk > 0) ? Mono.delay(Duration.ofMillis(intervalMillis)) : Mono.empty())
			.map((chunk) -> Mono
				.just(response.bufferFactory().wrap(("chunk " + chunk + "\n").getBytes(StandardCharsets.US_ASCII))));
		return response.writeAndFlushWith(lines);
	}

	@PostMapping("/echo")
	Mono<byte[]> echo(@RequestBody(required = false) Mono<byte[]> body) {
		return body.defaultIfEmpty(new byte[0]);
	}

	/**
	 * An answer that a backend gives after {@code millis}: a single value, so the drain
	 * lets it finish.
	 */
	@GetMapping(path = "/async", produces = MediaType.TEXT_PLAIN_VALUE)
	Mono<String> async(@RequestParam(defaultValue = "1000") long millis) {
		return Mono.delay(Duration.ofMillis(millis)).thenReturn("async");
	}

	@GetMapping(path = "/sse", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	Flux<ServerSentEvent<String>> sse(@RequestParam(defaultValue = "100") int events,
			@RequestParam(defaultValue = "1000") long intervalMillis) {
		return this.eventStreams.open(events, Duration.ofMillis(intervalMillis));
	}

}
