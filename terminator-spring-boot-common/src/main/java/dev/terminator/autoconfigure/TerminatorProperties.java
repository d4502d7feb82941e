package dev.terminator.autoconfigure;

import java.time.Duration;

import dev.terminator.core.TerminatorSettings;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Configuration of terminator: how the embedded web server drains its connections on
 * shutdown. Validates itself when bound, with the engine's rule
 * ({@link TerminatorSettings#invalidDurationReason}), so that an invalid duration fails
 * start-up naming the property.
 *
 * <p>
 * The defaults of the drain are {@link TerminatorSettings#DEFAULTS}. They are repeated
 * here as literals because the configuration processor records a default in the metadata
 * only from a literal initializer, not from a constant of another class; the
 * auto-configuration's tests hold the two equal (defaults bound with no property set are
 * {@code TerminatorSettings.DEFAULTS}) and the metadata equal to these fields.
 */
@ConfigurationProperties("terminator")
public class TerminatorProperties implements Validator {

	/**
	 * Whether to drain the embedded web server's connections on shutdown.
	 */
	private boolean enabled = true;

	/**
	 * How long requests in flight get, from the start of the drain, before the
	 * connections still open are cut.
	 */
	private Duration timeout = Duration.ofSeconds(30);

	/**
	 * Lame-duck period before the drain: readiness refuses traffic while the server keeps
	 * accepting and serving, and every HTTP/1.x response carries 'Connection: close'.
	 * Covers the time load balancers need to stop routing to the instance.
	 */
	private Duration shutdownDelay = Duration.ofSeconds(0);

	/**
	 * How long a keep-alive connection must have been idle before the drain closes it. A
	 * client that reuses a connection within this period has its request served, with
	 * 'Connection: close', instead of finding the connection closed under it. The default
	 * matches the inactivity after which Apache HttpClient checks a pooled connection
	 * before reusing it.
	 */
	private Duration quietPeriod = Duration.ofSeconds(2);

	/**
	 * A lame-duck delay that ends once the traffic has moved to other instances, the
	 * shutdown delay being its maximum.
	 */
	private final AdaptiveDelay adaptiveDelay = new AdaptiveDelay();

	/**
	 * WebSocket sessions open at the drain.
	 */
	private final WebSocket websocket = new WebSocket();

	/**
	 * Spring MVC async requests and WebFlux streaming responses still open at the drain:
	 * server-sent events, other response body emitters and streams, long polls.
	 */
	private final Async async = new Async();

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
		this.timeout = timeout;
	}

	public Duration getShutdownDelay() {
		return this.shutdownDelay;
	}

	public void setShutdownDelay(Duration shutdownDelay) {
		this.shutdownDelay = shutdownDelay;
	}

	public Duration getQuietPeriod() {
		return this.quietPeriod;
	}

	public void setQuietPeriod(Duration quietPeriod) {
		this.quietPeriod = quietPeriod;
	}

	public AdaptiveDelay getAdaptiveDelay() {
		return this.adaptiveDelay;
	}

	public WebSocket getWebsocket() {
		return this.websocket;
	}

	/**
	 * The settings of the engine these properties describe.
	 * @return the settings
	 */
	public TerminatorSettings toSettings() {
		TerminatorSettings settings = new TerminatorSettings(this.timeout, this.shutdownDelay, this.quietPeriod);
		if (!this.adaptiveDelay.isEnabled()) {
			return settings;
		}
		return settings.withAdaptiveDelay(new dev.terminator.core.AdaptiveDelay(this.adaptiveDelay.getQuietTime(),
				this.adaptiveDelay.getMinimum()));
	}

	public Async getAsync() {
		return this.async;
	}

	// Spring Boot validates each nested group where it is bound: the failure report then
	// finds the origin of the value.
	@Override
	public boolean supports(Class<?> type) {
		return TerminatorProperties.class.isAssignableFrom(type) || Async.class.isAssignableFrom(type)
				|| AdaptiveDelay.class.isAssignableFrom(type);
	}

	@Override
	public void validate(Object target, Errors errors) {
		if (target instanceof Async async) {
			rejectIfInvalid(errors, "endAfter", async.getEndAfter());
			return;
		}
		if (target instanceof AdaptiveDelay adaptive) {
			rejectIfInvalid(errors, "quietTime", adaptive.getQuietTime());
			rejectIfInvalid(errors, "minimum", adaptive.getMinimum());
			if (adaptive.getQuietTime() != null && adaptive.getQuietTime().isZero()) {
				errors.rejectValue("quietTime", "invalid", "must be positive");
			}
			return;
		}
		TerminatorProperties properties = (TerminatorProperties) target;
		rejectIfInvalid(errors, "timeout", properties.getTimeout());
		rejectIfInvalid(errors, "shutdownDelay", properties.getShutdownDelay());
		rejectIfInvalid(errors, "quietPeriod", properties.getQuietPeriod());
		AdaptiveDelay adaptive = properties.getAdaptiveDelay();
		Duration maximum = properties.getShutdownDelay();
		if (adaptive.isEnabled() && maximum != null && adaptive.getMinimum() != null) {
			if (maximum.isZero()) {
				errors.rejectValue("shutdownDelay", "invalid",
						"must be positive with terminator.adaptive-delay.enabled: it is the adaptive delay's maximum");
			}
			else if (adaptive.getMinimum().compareTo(maximum) > 0) {
				// On the maximum, a property Boot finds the origin of at the root.
				errors.rejectValue("shutdownDelay", "invalid",
						"must not be shorter than terminator.adaptive-delay.minimum (" + adaptive.getMinimum()
								+ ") with terminator.adaptive-delay.enabled: it is the adaptive delay's maximum");
			}
		}
	}

	// The rule is the engine's: the property fails binding, named, rather than the
	// terminator's construction.
	private static void rejectIfInvalid(Errors errors, String field, @Nullable Duration value) {
		String reason = TerminatorSettings.invalidDurationReason(value);
		if (reason != null) {
			errors.rejectValue(field, "invalid", reason);
		}
	}

	/**
	 * A lame-duck delay that ends once no new connection and no new request has arrived
	 * for a while: the load balancer has taken the instance out.
	 */
	public static class AdaptiveDelay {

		/**
		 * Whether the lame-duck delay ends early once the traffic has moved: after
		 * 'quiet-time' without a new connection or a new request, and not before
		 * 'minimum'. 'terminator.shutdown-delay' is then the most it lasts. Requests from
		 * probes and scrapes on the application's port count as traffic: serve them from
		 * a management port ('management.server.port').
		 */
		private boolean enabled;

		/**
		 * How long no new connection and no new request must have arrived for the delay
		 * to end early.
		 */
		private Duration quietTime = Duration.ofSeconds(1);

		/**
		 * How long the delay lasts at least, whatever the traffic: the time the load
		 * balancer takes to notice the instance is going (its health-check interval times
		 * the failures it needs; on Kubernetes, the propagation of the endpoint's
		 * removal). At most 'terminator.shutdown-delay'.
		 */
		private Duration minimum = Duration.ofSeconds(5);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getQuietTime() {
			return this.quietTime;
		}

		public void setQuietTime(Duration quietTime) {
			this.quietTime = quietTime;
		}

		public Duration getMinimum() {
			return this.minimum;
		}

		public void setMinimum(Duration minimum) {
			this.minimum = minimum;
		}

	}

	/**
	 * What the drain does with WebSocket sessions.
	 */
	public static class WebSocket {

		/**
		 * Whether to close every open WebSocket session with 1001 (Going Away) when the
		 * drain begins, so that its connection ends with the close handshake instead of
		 * holding the drain until the timeout.
		 */
		private boolean closeOnDrain = true;

		public boolean isCloseOnDrain() {
			return this.closeOnDrain;
		}

		public void setCloseOnDrain(boolean closeOnDrain) {
			this.closeOnDrain = closeOnDrain;
		}

	}

	/**
	 * Spring MVC async requests left open at the drain: server-sent events and other
	 * response body emitters, {@code DeferredResult} long polls.
	 */
	public static class Async {

		/**
		 * How long after the start of the drain the application's Spring MVC streams and
		 * long polls (handlers returning SseEmitter, ResponseBodyEmitter, Flux,
		 * DeferredResult) get to finish before terminator ends them through Spring MVC's
		 * async timeout: an event stream ends after its last event, a long poll gets a
		 * 503. Single-value results (CompletableFuture, Mono) are not ended; they finish
		 * as any request. @DrainEndsAsync on a handler says otherwise. The application is
		 * told when the drain starts and may end its own first. Zero ends them at once; a
		 * value not shorter than 'terminator.timeout' leaves them to be cut at the
		 * timeout. In a WebFlux application the same delay applies to streaming responses
		 * (server-sent events, NDJSON), each ended after its last complete event; a Mono
		 * long poll is the application's to end (ReactiveDrainSignal).
		 */
		private Duration endAfter = Duration.ofSeconds(1);

		public Duration getEndAfter() {
			return this.endAfter;
		}

		public void setEndAfter(Duration endAfter) {
			this.endAfter = endAfter;
		}

	}

}
