package dev.terminator.context;

import java.time.Instant;

import dev.terminator.core.DrainProgress;
import dev.terminator.core.HttpTerminator;

import org.springframework.context.ApplicationEvent;

/**
 * Published when the drain begins: the listen sockets are closed, idle connections are
 * being closed, and requests in flight have until {@link #getDeadline() the deadline} to
 * finish before their connections are cut.
 *
 * <p>
 * The moment to end what would otherwise last until the deadline: complete the
 * application's {@code SseEmitter}s and other {@code ResponseBodyEmitter}s (the client
 * sees the stream end after its last event), set its long polls' {@code DeferredResult}s.
 * What the application leaves open, terminator ends through Spring MVC's async timeout
 * path {@code terminator.async.end-after} after the drain began.
 *
 * <p>
 * Published on terminator's drain thread, which waits for the listeners before it closes
 * the idle connections and goes on with the drain: they must be quick. Completing an
 * emitter is; a blocking call is not (hand it to an executor of the application's).
 *
 * @see ShutdownDelayStartedEvent
 */
public class DrainStartedEvent extends ApplicationEvent {

	private final DrainProgress progress;

	/**
	 * Create an event.
	 * @param terminator the terminator whose drain began
	 * @param progress the drain as it began
	 */
	public DrainStartedEvent(HttpTerminator terminator, DrainProgress progress) {
		super(terminator);
		this.progress = progress;
	}

	/**
	 * The terminator whose drain began.
	 * @return the terminator
	 */
	public HttpTerminator getTerminator() {
		return (HttpTerminator) getSource();
	}

	/**
	 * The drain as it began: when it began and its deadline. Its progress later on is
	 * {@link HttpTerminator#drainProgress()}.
	 * @return the drain's first snapshot
	 */
	public DrainProgress getProgress() {
		return this.progress;
	}

	/**
	 * When the connections still open are cut: the start of the drain plus
	 * {@code terminator.timeout}.
	 * @return the deadline
	 */
	public Instant getDeadline() {
		return this.progress.deadline();
	}

}
