package dev.terminator.testsupport;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The WebFlux counterpart of {@link TestEndpoints}: quick, held until the test releases
 * it, and stuck for good. In WebFlux no handler holds a thread: a request in flight is a
 * {@code Mono} that has not completed.
 */
@RestController
public class ReactiveTestEndpoints {

	// Per application context, so that tests running servers side by side release only
	// their own handlers.
	private final Sinks.Empty<Void> releaseHeld = Sinks.empty();

	private final AtomicInteger heldInFlight = new AtomicInteger();

	@GetMapping(path = "/hello", produces = "text/plain")
	Mono<String> hello() {
		return Mono.just("hello");
	}

	/**
	 * Completes once the test calls {@link #releaseHeld()}.
	 * @return the body, {@code held}
	 */
	@GetMapping(path = "/held", produces = "text/plain")
	Mono<String> held() {
		return this.releaseHeld.asMono()
			.then(Mono.just("held"))
			.doOnSubscribe((subscription) -> this.heldInFlight.incrementAndGet())
			.doFinally((signal) -> this.heldInFlight.decrementAndGet());
	}

	/**
	 * How many {@code /held} requests are in flight now.
	 * @return requests in flight
	 */
	public int heldInFlight() {
		return this.heldInFlight.get();
	}

	/**
	 * Let every request waiting in {@code /held} complete.
	 */
	public void releaseHeld() {
		this.releaseHeld.tryEmitEmpty();
	}

	/**
	 * An endless event stream, one event every 100 ms: only the drain ends it.
	 * @return the events
	 */
	@GetMapping(path = "/events", produces = "text/event-stream")
	Flux<ServerSentEvent<String>> events() {
		return Flux.interval(Duration.ofMillis(100)).map((tick) -> ServerSentEvent.builder("tick " + tick).build());
	}

	/**
	 * Never completes: only the drain's cut ends it.
	 * @return a body that never comes
	 */
	@GetMapping(path = "/stuck", produces = "text/plain")
	Mono<String> stuck() {
		return Mono.never();
	}

}
