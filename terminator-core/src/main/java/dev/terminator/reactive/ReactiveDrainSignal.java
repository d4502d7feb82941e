package dev.terminator.reactive;

import dev.terminator.core.DrainProgress;
import dev.terminator.core.HttpTerminator;
import dev.terminator.core.TerminationListener;
import dev.terminator.core.TerminatorState;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The start of the drain as a {@link Mono}, the WebFlux counterpart of
 * {@code DrainStartedEvent}: an application ends its own long-lived responses with it,
 * such as {@code flux.takeUntilOther(signal.drainStarted())} for a stream, so that they
 * end cleanly instead of being cut at the drain's timeout.
 */
public final class ReactiveDrainSignal {

	private final Sinks.Empty<Void> drainStarted = Sinks.empty();

	/**
	 * Create the signal of the given terminator's drain.
	 * @param terminator the terminator whose drain to signal
	 */
	public ReactiveDrainSignal(HttpTerminator terminator) {
		terminator.addListener(new TerminationListener() {

			@Override
			public void drainStarted(DrainProgress progress) {
				signal();
			}

		});
		// The drain may have begun before the listener was added; the state turns
		// DRAINING before listeners are told, so one of the two sees it.
		TerminatorState state = terminator.state();
		if (state == TerminatorState.DRAINING || state == TerminatorState.TERMINATED) {
			signal();
		}
	}

	private void signal() {
		// Once is enough: a second attempt, or one racing the first, fails harmlessly.
		this.drainStarted.tryEmitEmpty();
	}

	/**
	 * A {@link Mono} that completes, empty, when the drain begins: at once for a
	 * subscriber that comes later. Completed on the terminator's thread, which drives the
	 * whole drain: what is chained to it must not block.
	 * @return the signal
	 */
	public Mono<Void> drainStarted() {
		return this.drainStarted.asMono();
	}

}
