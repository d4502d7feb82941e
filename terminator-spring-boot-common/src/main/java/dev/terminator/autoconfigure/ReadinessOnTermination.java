package dev.terminator.autoconfigure;

import java.time.Duration;

import dev.terminator.core.DrainProgress;
import dev.terminator.core.TerminationListener;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Marks the application as refusing traffic when a termination begins: at the start of
 * the lame-duck delay, so the readiness probe fails while the server still serves, or at
 * the start of the drain when there is no delay (a drain started from code or the
 * endpoint, with the application still running). Liveness is left alone.
 */
class ReadinessOnTermination implements TerminationListener {

	private final ApplicationEventPublisher publisher;

	ReadinessOnTermination(ApplicationEventPublisher publisher) {
		this.publisher = publisher;
	}

	@Override
	public void delayStarted(Duration delay) {
		refuseTraffic();
	}

	@Override
	public void drainStarted(DrainProgress progress) {
		refuseTraffic();
	}

	private void refuseTraffic() {
		AvailabilityChangeEvent.publish(this.publisher, this, ReadinessState.REFUSING_TRAFFIC);
	}

}
