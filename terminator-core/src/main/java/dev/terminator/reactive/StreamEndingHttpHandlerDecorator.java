package dev.terminator.reactive;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.terminator.core.DrainProgress;
import dev.terminator.core.HttpTerminator;
import dev.terminator.core.TerminationListener;
import dev.terminator.core.TerminatorState;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.HttpHandlerDecoratorFactory;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;

/**
 * Ends the streaming responses the application left open a set time into the drain, the
 * WebFlux counterpart of the Spring MVC async end: each stream ends after its last
 * complete event and its response completes normally (the last chunk of a chunked body,
 * {@code END_STREAM} on HTTP/2), so that the client sees the stream end instead of a cut
 * at the drain's timeout, and the connection closes without waiting for it.
 *
 * <p>
 * A stream is a response written with
 * {@link ServerHttpResponse#writeAndFlushWith(Publisher)}, one flushed publisher per
 * event: how Spring writes server-sent events ({@code ServerSentEventHttpMessageWriter})
 * and every streaming media type of an encoder ({@code EncoderHttpMessageWriter}:
 * {@code application/x-ndjson}, {@code application/stream+json}), annotated and
 * functional endpoints alike, on Spring Framework 6.2 and 7 (Spring Cloud Gateway writes
 * a proxied stream the same way). The stream is ended between two events, never inside
 * one. Responses written with {@link ServerHttpResponse#writeWith(Publisher)} are left
 * alone: a {@code Mono} body that waits for a backend is a request in flight like any
 * other (in WebFlux every handler is asynchronous), and a {@code Flux} written in one
 * piece has no event boundaries to end at; such a long poll is the application's to end
 * ({@link ReactiveDrainSignal}) or is cut at the drain's timeout.
 *
 * <p>
 * Nothing is ended before {@code endAfter}, so that the application, told at the start of
 * the drain, ends its own first; from then on, a stream that starts is ended at once.
 * Nothing at all is ended if {@code endAfter} is not shorter than the drain's timeout.
 */
public final class StreamEndingHttpHandlerDecorator implements HttpHandlerDecoratorFactory {

	private static final Log logger = LogFactory.getLog(StreamEndingHttpHandlerDecorator.class);

	private final Duration endAfter;

	private final Sinks.Empty<Void> ending = Sinks.empty();

	private final AtomicBoolean scheduled = new AtomicBoolean();

	private final AtomicInteger open = new AtomicInteger();

	/**
	 * Create a decorator that ends the streams of the given terminator's server.
	 * @param terminator the terminator whose drain ends the streams
	 * @param endAfter how long into the drain the streams get to end by themselves
	 */
	public StreamEndingHttpHandlerDecorator(HttpTerminator terminator, Duration endAfter) {
		this.endAfter = endAfter;
		terminator.addListener(new TerminationListener() {

			@Override
			public void drainStarted(DrainProgress progress) {
				scheduleEnd(progress);
			}

		});
		// Created once the drain had begun: its listeners were told already.
		DrainProgress progress = terminator.drainProgress();
		if (progress != null && terminator.state() != TerminatorState.RUNNING) {
			scheduleEnd(progress);
		}
	}

	private void scheduleEnd(DrainProgress progress) {
		Duration timeout = Duration.between(progress.startedAt(), progress.deadline());
		if (this.endAfter.compareTo(timeout) >= 0 || !this.scheduled.compareAndSet(false, true)) {
			return;
		}
		// Not the terminator's thread, which drives the drain: ending a stream writes to
		// its connection. Not cancelled when the drain finishes: by then no stream is
		// left to end, and one that starts later (a drain without tracked connections)
		// ends at once.
		Schedulers.parallel().schedule(this::endStreams, this.endAfter.toNanos(), TimeUnit.NANOSECONDS);
	}

	private void endStreams() {
		int streams = this.open.get();
		if (streams > 0) {
			logger.info("Ending " + streams + " streaming response(s) left open " + this.endAfter.toMillis()
					+ " ms into the drain, after their last complete event");
		}
		this.ending.tryEmitEmpty();
	}

	@Override
	public HttpHandler apply(HttpHandler handler) {
		return (request, response) -> handler.handle(request, new StreamEndingResponse(response));
	}

	private final class StreamEndingResponse extends ServerHttpResponseDecorator {

		StreamEndingResponse(ServerHttpResponse delegate) {
			super(delegate);
		}

		@Override
		public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
			AtomicInteger open = StreamEndingHttpHandlerDecorator.this.open;
			// The events already taken are written before the server completes the
			// response: takeUntilOther cancels the application's stream, not the write.
			Flux<? extends Publisher<? extends DataBuffer>> ended = Flux.from(body)
				.takeUntilOther(StreamEndingHttpHandlerDecorator.this.ending.asMono())
				.doOnSubscribe((subscription) -> open.incrementAndGet())
				.doFinally((signal) -> open.decrementAndGet());
			return super.writeAndFlushWith(ended);
		}

	}

}
