package dev.terminator.autoconfigure;

import java.time.Duration;

import dev.terminator.context.DrainStartedEvent;
import dev.terminator.context.ShutdownDelayStartedEvent;
import dev.terminator.core.DrainProgress;
import dev.terminator.core.HttpTerminator;
import dev.terminator.core.TerminationListener;

import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes a termination's steps as application events:
 * {@link ShutdownDelayStartedEvent} and {@link DrainStartedEvent}.
 */
class TerminationEvents implements TerminationListener {

	private final HttpTerminator terminator;

	private final ApplicationEventPublisher publisher;

	TerminationEvents(HttpTerminator terminator, ApplicationEventPublisher publisher) {
		this.terminator = terminator;
		this.publisher = publisher;
	}

	@Override
	public void delayStarted(Duration delay) {
		this.publisher.publishEvent(new ShutdownDelayStartedEvent(this.terminator, delay));
	}

	@Override
	public void drainStarted(DrainProgress progress) {
		this.publisher.publishEvent(new DrainStartedEvent(this.terminator, progress));
	}

}
