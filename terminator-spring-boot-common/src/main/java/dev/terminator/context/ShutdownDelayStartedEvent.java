package dev.terminator.context;

import java.time.Duration;

import dev.terminator.core.HttpTerminator;

import org.springframework.context.ApplicationEvent;

/**
 * Published when the lame-duck delay ({@code terminator.shutdown-delay}) begins:
 * readiness now refuses traffic, and the server keeps accepting and serving, every
 * HTTP/1.x response asking the client to close its connection, until the drain begins
 * when the delay has passed.
 *
 * <p>
 * Published on the thread that started the termination (when the application context
 * closes, the thread that closes it), which waits for the listeners: they must be quick.
 *
 * @see DrainStartedEvent
 */
public class ShutdownDelayStartedEvent extends ApplicationEvent {

	private final Duration delay;

	/**
	 * Create an event.
	 * @param terminator the terminator whose delay began
	 * @param delay how long the delay lasts
	 */
	public ShutdownDelayStartedEvent(HttpTerminator terminator, Duration delay) {
		super(terminator);
		this.delay = delay;
	}

	/**
	 * The terminator whose delay began.
	 * @return the terminator
	 */
	public HttpTerminator getTerminator() {
		return (HttpTerminator) getSource();
	}

	/**
	 * How long the delay lasts: the drain begins when it has passed.
	 * @return the delay
	 */
	public Duration getDelay() {
		return this.delay;
	}

}
