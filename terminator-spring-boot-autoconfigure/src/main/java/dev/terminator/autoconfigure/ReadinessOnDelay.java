package dev.terminator.autoconfigure;

import java.time.Duration;

import dev.terminator.core.TerminationListener;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Marks the application as refusing traffic when the lame-duck delay begins, so the readiness probe fails while the
 * server still serves. Liveness is left alone.
 */
class ReadinessOnDelay implements TerminationListener {

	private final ApplicationEventPublisher publisher;

	ReadinessOnDelay(ApplicationEventPublisher publisher) {
		this.publisher = publisher;
	}

	@Override
	public void delayStarted(Duration delay) {
		AvailabilityChangeEvent.publish(this.publisher, this, ReadinessState.REFUSING_TRAFFIC);
	}

}
