package dev.terminator.sample;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.terminator.context.DrainStartedEvent;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The sample's server-sent event streams, and what an application does with them at
 * shutdown: it keeps the open ones, and completes them all when terminator's drain
 * begins, so that each client sees its stream end after its last event (and may reconnect
 * elsewhere) instead of being cut at the drain timeout.
 */
@Component
@ConditionalOnWebApplication(type = Type.SERVLET)
class EventStreams implements DisposableBean {

	// One thread for every stream: enough for a sample, whose events are small.
	private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "sample-sse");
		thread.setDaemon(true);
		return thread;
	});

	private final Set<SseEmitter> open = ConcurrentHashMap.newKeySet();

	/**
	 * Start a stream: an event at once, then one each interval, completed after the last.
	 * @param events how many events to send
	 * @param interval the time between two events
	 * @return the stream
	 */
	SseEmitter open(int events, Duration interval) {
		// No async timeout of its own: the stream ends after its events, or at the drain.
		SseEmitter emitter = new SseEmitter(0L);
		AtomicInteger sent = new AtomicInteger();
		ScheduledFuture<?> ticks = this.ticker.scheduleAtFixedRate(() -> send(emitter, sent.getAndIncrement(), events),
				0, interval.toMillis(), TimeUnit.MILLISECONDS);
		emitter.onCompletion(() -> {
			ticks.cancel(false);
			this.open.remove(emitter);
		});
		this.open.add(emitter);
		return emitter;
	}

	/**
	 * Complete every open stream: called on terminator's drain thread, and quick.
	 * @param event the start of the drain
	 */
	@EventListener
	void completeAll(DrainStartedEvent event) {
		this.open.forEach(SseEmitter::complete);
	}

	private static void send(SseEmitter emitter, int event, int events) {
		try {
			if (event < events) {
				emitter.send(SseEmitter.event().id(Integer.toString(event)).data("event " + event));
			}
			else {
				emitter.complete();
			}
		}
		catch (IOException | IllegalStateException ex) {
			// The client went away, or the stream was completed meanwhile: its completion
			// stops the ticks.
		}
	}

	@Override
	public void destroy() {
		this.ticker.shutdownNow();
	}

}
