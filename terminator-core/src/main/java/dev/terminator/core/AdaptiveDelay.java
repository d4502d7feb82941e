package dev.terminator.core;

import java.time.Duration;

/**
 * A lame-duck delay that ends once the traffic has moved: when no new connection and no
 * new request has arrived for {@link #quietTime()}, and not before {@link #minimum()}.
 * The {@linkplain TerminatorSettings#shutdownDelay() shutdown delay} is then its maximum.
 *
 * @param quietTime how long no new connection and no new request must have arrived
 * @param minimum how long the delay lasts at least, whatever the traffic: the time the
 * load balancer takes to notice the instance is going (its health-check interval times
 * the failures it needs, or the endpoint propagation of Kubernetes)
 */
public record AdaptiveDelay(Duration quietTime, Duration minimum) {

	public AdaptiveDelay {
		TerminatorSettings.requireValidDuration(quietTime, "quietTime");
		TerminatorSettings.requireValidDuration(minimum, "minimum");
		if (quietTime.isZero()) {
			throw new IllegalArgumentException("quietTime must be positive, was " + quietTime);
		}
	}

}
