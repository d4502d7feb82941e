package dev.terminator.testsupport;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.terminator.context.DrainStartedEvent;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Spring MVC async endpoints, for the drain of long-lived responses: server-sent events,
 * a long poll and a {@code Callable}. The stream and the long poll either end themselves
 * when the drain begins, as a well-behaved application does on {@link DrainStartedEvent},
 * or stay open for terminator to end.
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
		Runnable completed = started();
		AtomicInteger sent = new AtomicInteger();
		ScheduledFuture<?> ticks = this.ticker.scheduleAtFixedRate(() -> {
			int event = sent.getAndIncrement();
			try {
				if (event < events) {
					emitter.send(SseEmitter.event().data("event " + event));
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
			this.streamsToCompleteOnDrain.remove(emitter);
			completed.run();
		});
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
