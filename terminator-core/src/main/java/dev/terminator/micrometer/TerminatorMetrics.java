package dev.terminator.micrometer;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;

import dev.terminator.core.CloseReason;
import dev.terminator.core.ConnectionCounts;
import dev.terminator.core.DrainProgress;
import dev.terminator.core.DrainResult;
import dev.terminator.core.DrainResult.Outcome;
import dev.terminator.core.HttpTerminator;
import dev.terminator.core.TerminationListener;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * {@link MeterBinder} for the embedded web server's connections and its drain:
 * <ul>
 * <li>{@code terminator.connections} (gauge, {@code state} = {@code idle} /
 * {@code active}): open connections;</li>
 * <li>{@code terminator.connections.closed} (counter, {@code reason} = {@code idle} /
 * {@code completed} / {@code forced}): connections closed by the drain, by why they
 * closed;</li>
 * <li>{@code terminator.connections.queued} (counter): connections the kernel had queued
 * on the listen sockets when the drain closed them, taken from the accept queue and
 * served instead of reset: traffic that still arrived as the drain began (zero where the
 * queue cannot be drained, on Undertow);</li>
 * <li>{@code terminator.drain} (timer, {@code outcome} = {@code drained} /
 * {@code forced}): the drain, recorded once when it ends;</li>
 * <li>{@code terminator.drain.elapsed} (gauge, seconds): how long the drain has run so
 * far, its duration once it has ended, zero before it begins;</li>
 * <li>{@code terminator.drain.timeout} (gauge, seconds): the timeout of the drain, the
 * configured one until a drain begins with its own;</li>
 * <li>{@code terminator.shutdown.delay} (gauge, seconds): the configured lame-duck
 * delay.</li>
 * </ul>
 * Every meter reads counters the terminator keeps anyway, when the registry asks: nothing
 * is done per request. The gauges in seconds let dashboards and alert rules set a drain
 * against its timeout, and the whole termination against the time the platform allows.
 * The elapsed time is readable while the drain runs: a process that stops right after its
 * drain is last scraped then, before the timer records anything.
 *
 * <p>
 * The drain timer is fed by a {@link TerminationListener} that {@link #bindTo} adds to
 * the terminator, one per registry. As Micrometer's binders that hold resources do,
 * {@link #close()} removes them: a closed binder (a bean whose context closed) records
 * nothing more. Spring closes a binder bean with its context.
 */
public class TerminatorMetrics implements MeterBinder, AutoCloseable {

	private final HttpTerminator terminator;

	private final Clock clock;

	private final List<TerminationListener> drainRecorders = new CopyOnWriteArrayList<>();

	/**
	 * Create a binder for the given terminator.
	 * @param terminator the terminator
	 */
	public TerminatorMetrics(HttpTerminator terminator) {
		this(terminator, Clock.systemUTC());
	}

	TerminatorMetrics(HttpTerminator terminator, Clock clock) {
		this.terminator = terminator;
		this.clock = clock;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		ConnectionCounts connections = this.terminator.connections();
		connectionsGauge(registry, connections, "idle", ConnectionCounts::idleCount);
		connectionsGauge(registry, connections, "active", ConnectionCounts::activeCount);
		for (CloseReason reason : CloseReason.values()) {
			FunctionCounter.builder("terminator.connections.closed", this.terminator, closedCount(reason))
				.description("Connections closed by the drain, by why they closed")
				.tag("reason", reason.name().toLowerCase(Locale.ROOT))
				.register(registry);
		}
		FunctionCounter.builder("terminator.connections.queued", this.terminator, TerminatorMetrics::queuedCount)
			.description("Connections taken from the listen sockets' accept queue as the drain closed them")
			.register(registry);
		secondsGauge(registry, "terminator.drain.elapsed", TerminatorMetrics::drainElapsed,
				"Time the drain has run so far; once it has ended, how long it took");
		secondsGauge(registry, "terminator.drain.timeout", TerminatorMetrics::drainTimeout,
				"Time the drain gives requests in flight before it cuts their connections");
		secondsGauge(registry, "terminator.shutdown.delay", (metrics) -> metrics.terminator.settings().shutdownDelay(),
				"Lame-duck delay before the drain, while the server still accepts");
		// Both outcomes exist from the start, at zero, so that queries over them have a
		// series before the drain.
		Timer drained = drainTimer(registry, Outcome.DRAINED);
		Timer forced = drainTimer(registry, Outcome.FORCED);
		TerminationListener drainRecorder = new TerminationListener() {

			@Override
			public void drainFinished(DrainResult result) {
				Timer timer = (result.outcome() == Outcome.FORCED) ? forced : drained;
				timer.record(result.duration());
			}

		};
		this.drainRecorders.add(drainRecorder);
		this.terminator.addListener(drainRecorder);
	}

	/**
	 * Stop recording drains: the meters stay in their registries, the drain timer records
	 * nothing more.
	 */
	@Override
	public void close() {
		for (TerminationListener drainRecorder : this.drainRecorders) {
			this.terminator.removeListener(drainRecorder);
		}
		this.drainRecorders.clear();
	}

	private static void connectionsGauge(MeterRegistry registry, ConnectionCounts connections, String state,
			ToIntFunction<ConnectionCounts> count) {
		Gauge.builder("terminator.connections", connections, count::applyAsInt)
			.description("Open connections of the embedded web server, idle or with a request in flight")
			.tag("state", state)
			.strongReference(true)
			.register(registry);
	}

	private void secondsGauge(MeterRegistry registry, String name, Function<TerminatorMetrics, Duration> duration,
			String description) {
		Gauge.builder(name, this, (metrics) -> seconds(duration.apply(metrics)))
			.description(description)
			.baseUnit("seconds")
			.strongReference(true)
			.register(registry);
	}

	private Duration drainElapsed() {
		DrainResult result = this.terminator.drainResult();
		if (result != null) {
			return result.duration();
		}
		DrainProgress drain = this.terminator.drainProgress();
		if (drain == null) {
			return Duration.ZERO;
		}
		Duration elapsed = Duration.between(drain.startedAt(), this.clock.instant());
		return elapsed.isNegative() ? Duration.ZERO : elapsed;
	}

	// A drain started with a timeout of its own (the endpoint's write operation) is set
	// against that one, not the configured one.
	private Duration drainTimeout() {
		DrainProgress drain = this.terminator.drainProgress();
		return (drain != null) ? Duration.between(drain.startedAt(), drain.deadline())
				: this.terminator.settings().timeout();
	}

	private static double seconds(Duration duration) {
		return duration.getSeconds() + duration.getNano() / 1e9;
	}

	private static Timer drainTimer(MeterRegistry registry, Outcome outcome) {
		return Timer.builder("terminator.drain")
			.description("Time the drain took, from closing the listen socket to the last connection closed")
			.tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
			.register(registry);
	}

	private static double queuedCount(HttpTerminator terminator) {
		DrainProgress drain = terminator.drainProgress();
		return (drain != null) ? drain.acceptQueue().served() : 0;
	}

	private static ToDoubleFunction<HttpTerminator> closedCount(CloseReason reason) {
		return (terminator) -> {
			DrainProgress drain = terminator.drainProgress();
			if (drain == null) {
				return 0;
			}
			return switch (reason) {
				case IDLE -> drain.idleClosed();
				case COMPLETED -> drain.completed();
				case FORCED -> drain.forced();
			};
		};
	}

}
