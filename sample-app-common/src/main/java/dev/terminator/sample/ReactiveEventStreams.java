package dev.terminator.sample;

import java.time.Duration;

import dev.terminator.reactive.ReactiveDrainSignal;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;

/**
 * The sample's server-sent event streams on WebFlux, and what an application does with
 * them at shutdown: each stream ends when terminator's drain begins
 * ({@link ReactiveDrainSignal}), so that each client sees it end after its last event
 * (and may reconnect elsewhere) instead of being cut at the drain timeout.
 */
@Component
@ConditionalOnWebApplication(type = Type.REACTIVE)
class ReactiveEventStreams {

	private final Mono<Void> drainStarted;

	/**
	 * Create the streams.
	 * @param drainSignal terminator's drain signal; none when terminator is switched off
	 * ({@code terminator.enabled=false}), and the streams then run to their end
	 */
	ReactiveEventStreams(ObjectProvider<ReactiveDrainSignal> drainSignal) {
		ReactiveDrainSignal signal = drainSignal.getIfAvailable();
		this.drainStarted = (signal != null) ? signal.drainStarted() : Mono.never();
	}

	/**
	 * Start a stream: an event at once, then one each interval, completed after the last
	 * or when the drain begins.
	 * @param events how many events to send
	 * @param interval the time between two events
	 * @return the stream
	 */
	Flux<ServerSentEvent<String>> open(int events, Duration interval) {
		return Flux.interval(Duration.ZERO, interval)
			.take(events)
			.map((event) -> ServerSentEvent.builder("event " + event).id(Long.toString(event)).build())
			.takeUntilOther(this.drainStarted);
	}

}
