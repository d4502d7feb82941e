package dev.terminator.testsupport;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import dev.terminator.context.DrainEndsAsync;
import dev.terminator.context.DrainStartedEvent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.context.request.async.WebAsyncTask;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Spring MVC async endpoints, for the drain of long-lived responses: server-sent events,
 * a long poll, and one endpoint for each other async return type. The stream and the long
 * poll either end themselves when the drain begins, as a well-behaved application does on
 * {@link DrainStartedEvent}, or stay open for terminator to end.
 */
@RestController
public class AsyncEndpoints implements DisposableBean {

	private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "test-sse-ticker");
		thread.setDaemon(true);
		return thread;
	});

	private final Set<SseEmitter> streamsToCompleteOnDrain = ConcurrentHashMap.newKeySet();

	private final Set<DeferredResult<String>> pollsToAnswerOnDrain = ConcurrentHashMap.newKeySet();

	private final AtomicInteger inProgress = new AtomicInteger();

	private final AtomicInteger completed = new AtomicInteger();

	/**
	 * How many of these async requests have started and not completed yet.
	 * @return requests in progress
	 */
	public int inProgress() {
		return this.inProgress.get();
	}

	/**
	 * How many of these async requests have completed, however they ended; Spring MVC
	 * calls back once the response is done.
	 * @return requests completed
	 */
	public int completed() {
		return this.completed.get();
	}

	/**
	 * Send {@code events} events, the first at once, then one each
	 * {@code intervalMillis}, and complete.
	 */
	@GetMapping(path = "/async/sse", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	SseEmitter sse(@RequestParam int events, @RequestParam long intervalMillis,
			@RequestParam(defaultValue = "false") boolean completeOnDrain) {
		SseEmitter emitter = new SseEmitter(0L);
		emit(emitter, events, intervalMillis, (event) -> SseEmitter.event().data("event " + event),
				() -> this.streamsToCompleteOnDrain.remove(emitter));
		if (completeOnDrain) {
			this.streamsToCompleteOnDrain.add(emitter);
		}
		return emitter;
	}

	/**
	 * A long poll: the result is never set, unless {@code answerOnDrain}, when the drain
	 * begins.
	 */
	@GetMapping(path = "/async/long-poll", produces = MediaType.TEXT_PLAIN_VALUE)
	DeferredResult<String> longPoll(@RequestParam(defaultValue = "false") boolean answerOnDrain,
			@RequestParam(defaultValue = "0") long timeoutMillis) {
		DeferredResult<String> result = new DeferredResult<>(timeoutMillis);
		Runnable completed = started();
		result.onCompletion(() -> {
			this.pollsToAnswerOnDrain.remove(result);
			completed.run();
		});
		if (answerOnDrain) {
			this.pollsToAnswerOnDrain.add(result);
		}
		return result;
	}

	/**
	 * Work on Spring MVC's task executor, which nothing outside can end.
	 */
	@GetMapping(path = "/async/callable", produces = MediaType.TEXT_PLAIN_VALUE)
	Callable<String> callable(@RequestParam long millis) {
		Runnable completed = started();
		return () -> {
			try {
				Thread.sleep(millis);
				return "callable after " + Duration.ofMillis(millis);
			}
			finally {
				completed.run();
			}
		};
	}

	/**
	 * A response body emitter that sends {@code chunks} lines, one each
	 * {@code intervalMillis}, and completes.
	 */
	@GetMapping(path = "/async/emitter", produces = MediaType.TEXT_PLAIN_VALUE)
	ResponseBodyEmitter emitter(@RequestParam int chunks, @RequestParam long intervalMillis) {
		return emit(new ResponseBodyEmitter(0L), chunks, intervalMillis, (chunk) -> "chunk " + chunk + "\n", () -> {
		});
	}

	/**
	 * Server-sent events inside a {@code ResponseEntity}.
	 */
	@GetMapping(path = "/async/sse-entity", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	ResponseEntity<SseEmitter> sseEntity(@RequestParam int events, @RequestParam long intervalMillis) {
		return ResponseEntity.ok().header("Cache-Control", "no-store").body(sse(events, intervalMillis, false));
	}

	/**
	 * Server-sent events from a {@code Flux}: one at once, then none, as a stream that
	 * waits for more.
	 */
	@GetMapping(path = "/async/flux-sse", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	Flux<String> fluxSse() {
		Runnable completed = started();
		return Flux.just("event 0").concatWith(Flux.never()).doFinally((signal) -> completed.run());
	}

	/**
	 * A single value that a backend answers after {@code millis}, without holding a
	 * request thread meanwhile.
	 */
	@GetMapping(path = "/async/future", produces = MediaType.TEXT_PLAIN_VALUE)
	CompletableFuture<String> future(@RequestParam long millis) {
		Runnable completed = started();
		return CompletableFuture
			.supplyAsync(() -> "future after " + Duration.ofMillis(millis),
					CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS))
			.whenComplete((result, failure) -> completed.run());
	}

	/**
	 * A {@code Mono} answered after {@code millis}.
	 */
	@GetMapping(path = "/async/mono", produces = MediaType.TEXT_PLAIN_VALUE)
	Mono<String> mono(@RequestParam long millis) {
		Runnable completed = started();
		return Mono.delay(Duration.ofMillis(millis))
			.map((tick) -> "mono after " + Duration.ofMillis(millis))
			.doFinally((signal) -> completed.run());
	}

	/**
	 * A {@code WebAsyncTask}: a {@code Callable} with a timeout of its own.
	 */
	@GetMapping(path = "/async/web-async-task", produces = MediaType.TEXT_PLAIN_VALUE)
	WebAsyncTask<String> webAsyncTask(@RequestParam long millis) {
		return new WebAsyncTask<>(60_000L, callable(millis));
	}

	/**
	 * A single value that waits for an event which never comes: annotated to be ended.
	 */
	@DrainEndsAsync
	@GetMapping(path = "/async/awaited-event", produces = MediaType.TEXT_PLAIN_VALUE)
	CompletableFuture<String> awaitedEvent() {
		started();
		return new CompletableFuture<>();
	}

	/**
	 * A {@code DeferredResult} that a backend sets after {@code millis}: annotated to
	 * finish.
	 */
	@DrainEndsAsync(false)
	@GetMapping(path = "/async/backend-call", produces = MediaType.TEXT_PLAIN_VALUE)
	DeferredResult<String> backendCall(@RequestParam long millis) {
		DeferredResult<String> result = new DeferredResult<>(0L);
		result.onCompletion(started());
		this.ticker.schedule(() -> result.setResult("backend after " + Duration.ofMillis(millis)), millis,
				TimeUnit.MILLISECONDS);
		return result;
	}

	@EventListener
	void onDrainStarted(DrainStartedEvent event) {
		this.streamsToCompleteOnDrain.forEach(SseEmitter::complete);
		this.pollsToAnswerOnDrain.forEach((result) -> result.setResult("answered on drain"));
	}

	@Override
	public void destroy() {
		this.ticker.shutdownNow();
	}

	/**
	 * Send {@code items} items, the first at once, then one each {@code intervalMillis},
	 * and complete. An emitter takes one completion callback: this is it, running
	 * {@code onCompletion} too.
	 */
	private <E extends ResponseBodyEmitter> E emit(E emitter, int items, long intervalMillis, IntFunction<Object> item,
			Runnable onCompletion) {
		Runnable completed = started();
		AtomicInteger sent = new AtomicInteger();
		ScheduledFuture<?> ticks = this.ticker.scheduleAtFixedRate(() -> {
			int next = sent.getAndIncrement();
			try {
				if (next < items) {
					send(emitter, item.apply(next));
				}
				else {
					emitter.complete();
				}
			}
			catch (IOException | IllegalStateException ex) {
				// Ended by someone else meanwhile: the completion callback stops the
				// ticks.
			}
		}, 0, intervalMillis, TimeUnit.MILLISECONDS);
		emitter.onCompletion(() -> {
			ticks.cancel(false);
			onCompletion.run();
			completed.run();
		});
		return emitter;
	}

	private static void send(ResponseBodyEmitter emitter, Object item) throws IOException {
		if (item instanceof SseEmitter.SseEventBuilder event) {
			((SseEmitter) emitter).send(event);
		}
		else {
			emitter.send(item);
		}
	}

	/**
	 * Count a request as started.
	 * @return what counts it as completed, once however often it runs (on Tomcat, a long
	 * poll's completion callback was seen to run twice after Spring MVC's 503)
	 */
	private Runnable started() {
		this.inProgress.incrementAndGet();
		AtomicBoolean done = new AtomicBoolean();
		return () -> {
			if (done.compareAndSet(false, true)) {
				this.inProgress.decrementAndGet();
				this.completed.incrementAndGet();
			}
		};
	}

}
