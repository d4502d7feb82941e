package dev.terminator.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of terminator: how the embedded web server drains its connections on shutdown.
 */
@ConfigurationProperties("terminator")
public class TerminatorProperties {

	/**
	 * Whether to drain the embedded web server's connections on shutdown.
	 */
	private boolean enabled = true;

	/**
	 * How long requests in flight get, from the start of the drain, before the connections still open are cut.
	 */
	private Duration timeout = Duration.ofSeconds(30);

	/**
	 * Lame-duck period before the drain: readiness refuses traffic while the server keeps accepting and serving,
	 * and every HTTP/1.x response carries 'Connection: close'. Covers the time load balancers need to stop routing
	 * to the instance.
	 */
	private Duration shutdownDelay = Duration.ofSeconds(0);

	/**
	 * How long a keep-alive connection must have been idle before the drain closes it. A client that reuses a
	 * connection within this period has its request served, with 'Connection: close', instead of finding the
	 * connection closed under it.
	 */
	private Duration quietPeriod = Duration.ofMillis(500);

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		this.timeout = requireNotNegative(timeout);
	}

	public Duration getShutdownDelay() {
		return this.shutdownDelay;
	}

	public void setShutdownDelay(Duration shutdownDelay) {
		this.shutdownDelay = requireNotNegative(shutdownDelay);
	}

	public Duration getQuietPeriod() {
		return this.quietPeriod;
	}

	public void setQuietPeriod(Duration quietPeriod) {
		this.quietPeriod = requireNotNegative(quietPeriod);
	}

	private static Duration requireNotNegative(Duration duration) {
		if (duration == null || duration.isNegative()) {
			throw new IllegalArgumentException("must be zero or positive, was " + duration);
		}
		return duration;
	}

}
