package dev.terminator.micrometer;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import dev.terminator.core.DrainProgress;
import dev.terminator.core.DrainResult;
import dev.terminator.core.HttpTerminator;
import dev.terminator.core.LameDuck;
import dev.terminator.core.TerminationListener;
import dev.terminator.micrometer.TerminationObservationDocumentation.Events;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TerminationListener} that makes each termination a Micrometer
 * {@link Observation} ({@link TerminationObservationDocumentation#TERMINATION}): started
 * with the lame-duck delay, or with the drain when there is no delay, stopped when the
 * drain finished, with an event at each step in between. A tracing handler makes it a
 * span, Micrometer's default meter handler a {@code terminator.termination} timer (the
 * drain alone keeps its own {@code terminator.drain} timer, from
 * {@link TerminatorMetrics}).
 *
 * <p>
 * The delay starts on the thread that called {@code terminate()}, every other step on the
 * terminator's thread: the observation is started, given events and stopped, never opened
 * in a scope. A failure in Micrometer or in a handler is logged and leaves the
 * termination, and the observation's other steps, unaffected.
 */
public class TerminationObservation implements TerminationListener {

	private static final Log logger = LogFactory.getLog(TerminationObservation.class);

	private static final TerminationObservationConvention DEFAULT_CONVENTION = new DefaultTerminationObservationConvention();

	private final HttpTerminator terminator;

	private final ObservationRegistry registry;

	private final @Nullable TerminationObservationConvention convention;

	private final AtomicReference<@Nullable Termination> current = new AtomicReference<>();

	/**
	 * Create a listener that observes the terminations of the given terminator with the
	 * default convention.
	 * @param terminator the terminator, which names the server
	 * @param registry the registry of the observations
	 */
	public TerminationObservation(HttpTerminator terminator, ObservationRegistry registry) {
		this(terminator, registry, null);
	}

	/**
	 * Create a listener that observes the terminations of the given terminator.
	 * @param terminator the terminator, which names the server
	 * @param registry the registry of the observations
	 * @param convention a convention that replaces the default one, or {@code null}
	 */
	public TerminationObservation(HttpTerminator terminator, ObservationRegistry registry,
			@Nullable TerminationObservationConvention convention) {
		this.terminator = terminator;
		this.registry = registry;
		this.convention = convention;
	}

	@Override
	public void delayStarted(Duration delay) {
		Termination termination = start("delayStarted");
		if (termination != null) {
			termination.event(Events.LAME_DUCK_STARTED, "delayStarted");
		}
	}

	@Override
	public void delayEnded(LameDuck lameDuck) {
		Termination termination = this.current.get();
		if (termination != null) {
			termination.context.setLameDuck(lameDuck);
			LameDuck.End end = lameDuck.end();
			String why = (end != null) ? end.name().toLowerCase(Locale.ROOT) : "ended";
			termination.event(Events.LAME_DUCK_ENDED.format(why), "delayEnded");
		}
	}

	@Override
	public void drainStarted(DrainProgress progress) {
		Termination termination = this.current.get();
		if (termination == null) {
			termination = start("drainStarted");
		}
		if (termination != null) {
			termination.event(Events.DRAIN_STARTED, "drainStarted");
		}
	}

	@Override
	public void idleConnectionsClosed(DrainProgress progress) {
		Termination termination = this.current.get();
		if (termination != null) {
			termination.event(Events.IDLE_CONNECTIONS_CLOSED, "idleConnectionsClosed");
		}
	}

	@Override
	public void connectionsCut(DrainProgress progress, int connections) {
		Termination termination = this.current.get();
		if (termination != null) {
			termination.event(Events.CONNECTIONS_CUT.format(connections), "connectionsCut");
		}
	}

	@Override
	public void drainFinished(DrainResult result) {
		Termination termination = this.current.getAndSet(null);
		if (termination != null) {
			termination.context.setResult(result);
			termination.event(Events.DRAIN_FINISHED, "drainFinished");
			termination.safely(Observation::stop, "drainFinished");
		}
	}

	private @Nullable Termination start(String step) {
		try {
			TerminationContext context = new TerminationContext(this.terminator.serverName());
			Observation observation = TerminationObservationDocumentation.TERMINATION.observation(this.convention,
					DEFAULT_CONVENTION, () -> context, this.registry);
			observation.start();
			Termination termination = new Termination(observation, context);
			this.current.set(termination);
			return termination;
		}
		catch (RuntimeException ex) {
			logFailure(step, ex);
			return null;
		}
	}

	private static void logFailure(String step, RuntimeException ex) {
		logger.warn("Could not observe the termination's step " + step, ex);
	}

	private record Termination(Observation observation, TerminationContext context) {

		void event(Observation.Event event, String step) {
			safely((observation) -> observation.event(event), step);
		}

		void safely(Consumer<Observation> action, String step) {
			try {
				action.accept(this.observation);
			}
			catch (RuntimeException ex) {
				logFailure(step, ex);
			}
		}

	}

}
