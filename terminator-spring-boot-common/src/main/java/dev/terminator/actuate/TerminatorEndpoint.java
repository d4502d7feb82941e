package dev.terminator.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import dev.terminator.core.AdaptiveDelay;
import dev.terminator.core.ConnectionCounts;
import dev.terminator.core.DrainProgress;
import dev.terminator.core.DrainResult;
import dev.terminator.core.DrainTimeline;
import dev.terminator.core.HttpTerminator;
import dev.terminator.core.LameDuck;
import dev.terminator.core.QueuedConnections;
import dev.terminator.core.TerminationListener;
import dev.terminator.core.TerminatorSettings;
import dev.terminator.core.TerminatorState;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@link Endpoint @Endpoint} that shows the embedded web server's connections and its
 * drain, and can start the drain. Read-only unless access to it is granted with
 * {@code management.endpoint.terminator.access=unrestricted}.
 *
 * <p>
 * A {@link TerminationListener}: told when the termination begins, so that the write
 * operation answers with the new state.
 *
 * <p>
 * Durations and instants are written as ISO-8601 text here rather than left to Jackson,
 * so the JSON stays the same whatever the application's {@code ObjectMapper} does with
 * {@code java.time} types.
 */
@Endpoint(id = "terminator", defaultAccess = Access.READ_ONLY)
public class TerminatorEndpoint implements TerminationListener {

	/**
	 * How long the write operation waits for the termination to begin (listen sockets
	 * closed, or the lame-duck delay started) so that its answer shows the new state. It
	 * never waits for the drain to end.
	 */
	static final Duration BEGIN_WAIT = Duration.ofSeconds(5);

	private final HttpTerminator terminator;

	private final CompletableFuture<Void> begun = new CompletableFuture<>();

	/**
	 * Create an endpoint for the given terminator. It must be added to the terminator as
	 * a listener, as auto-configuration does with every {@link TerminationListener} bean,
	 * for its write operation to answer as soon as the termination has begun.
	 * @param terminator the terminator
	 */
	public TerminatorEndpoint(HttpTerminator terminator) {
		this.terminator = terminator;
	}

	@Override
	public void delayStarted(Duration delay) {
		this.begun.complete(null);
	}

	@Override
	public void drainStarted(DrainProgress progress) {
		this.begun.complete(null);
	}

	/**
	 * The state of the server, its connections and its drain.
	 * @return the description
	 */
	@ReadOperation
	public TerminatorDescriptor terminator() {
		ConnectionCounts connections = this.terminator.connections();
		// Read each counter once, so that open = idle + active holds in the answer.
		int open = connections.openCount();
		int active = Math.min(connections.activeCount(), open);
		TerminatorSettings settings = this.terminator.settings();
		LameDuck lameDuck = this.terminator.lameDuck();
		return new TerminatorDescriptor(this.terminator.state(), this.terminator.serverName(),
				new ConnectionsDescriptor(open, open - active, active), settings.timeout().toString(),
				settings.shutdownDelay().toString(), AdaptiveDelayDescriptor.of(settings.adaptiveDelay()),
				(lameDuck != null) ? LameDuckDescriptor.of(lameDuck) : null, drainDescriptor());
	}

	// The result first: once there is one, its counts and duration describe the drain
	// together.
	private @Nullable DrainDescriptor drainDescriptor() {
		DrainResult result = this.terminator.drainResult();
		if (result != null) {
			return DrainDescriptor.of(result);
		}
		DrainProgress progress = this.terminator.drainProgress();
		return (progress != null) ? DrainDescriptor.of(progress) : null;
	}

	/**
	 * Start the termination, as on shutdown, and answer once it has begun, without
	 * waiting for the drain to end. The application keeps running. Starting it again has
	 * no effect: there is one termination.
	 * @param timeout how long requests in flight get before their connections are cut;
	 * when given, the drain begins at once, without the lame-duck delay; when
	 * {@code null}, the configured delay and timeout apply
	 * @return the description, with the new state
	 */
	@WriteOperation
	@SuppressWarnings("deprecation") // Spring's own @Nullable: Boot 3.5 reads only it to
										// make the parameter optional
	public TerminatorDescriptor drain(@org.springframework.lang.Nullable @Nullable Duration timeout) {
		if (timeout != null) {
			String invalid = TerminatorSettings.invalidDurationReason(timeout);
			if (invalid != null) {
				throw new InvalidEndpointRequestException("timeout " + invalid + ", was " + timeout,
						"timeout " + invalid);
			}
			this.terminator.drain(timeout);
		}
		else {
			this.terminator.terminate();
		}
		awaitBegun();
		return terminator();
	}

	private void awaitBegun() {
		try {
			this.begun.get(BEGIN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			// Answer with the state as it is: the termination goes on regardless.
		}
	}

	/**
	 * The state of the server, its connections and its drain.
	 *
	 * @param state where the termination is
	 * @param server the embedded server, such as {@code tomcat}
	 * @param connections the server's open connections
	 * @param timeout the drain timeout, ISO-8601
	 * @param shutdownDelay the lame-duck delay, ISO-8601; with an adaptive delay, its
	 * maximum
	 * @param adaptiveDelay how the lame-duck delay ends early once the traffic has moved,
	 * or {@code null} for a fixed delay
	 * @param lameDuck the lame-duck delay of the termination, from its start: live while
	 * it lasts; {@code null} before it began or without a delay
	 * @param drain the drain, or {@code null} before it began
	 */
	public record TerminatorDescriptor(TerminatorState state, String server, ConnectionsDescriptor connections,
			String timeout, String shutdownDelay,
			@JsonInclude(Include.ALWAYS) @Nullable AdaptiveDelayDescriptor adaptiveDelay,
			@JsonInclude(Include.ALWAYS) @Nullable LameDuckDescriptor lameDuck,
			@JsonInclude(Include.ALWAYS) @Nullable DrainDescriptor drain) implements OperationResponseBody {

	}

	/**
	 * The settings of an adaptive lame-duck delay.
	 *
	 * @param quietTime how long nothing new must arrive for the delay to end, ISO-8601
	 * @param minimum how long the delay lasts at least, ISO-8601
	 */
	public record AdaptiveDelayDescriptor(String quietTime, String minimum) {

		static @Nullable AdaptiveDelayDescriptor of(@Nullable AdaptiveDelay adaptiveDelay) {
			return (adaptiveDelay != null) ? new AdaptiveDelayDescriptor(adaptiveDelay.quietTime().toString(),
					adaptiveDelay.minimum().toString()) : null;
		}

	}

	/**
	 * The lame-duck delay: when it began and ended, why, and what arrived during it.
	 *
	 * @param startedAt when it began, ISO-8601
	 * @param endedAt when it ended (the drain began), ISO-8601, or {@code null} while it
	 * lasts
	 * @param end why it ended: {@code ELAPSED} (a fixed delay), {@code QUIET} (nothing
	 * new arrived for the quiet time), {@code MAXIMUM} (the shutdown delay was reached),
	 * or {@code null} while it lasts
	 * @param requests requests that arrived during it, so far while it lasts
	 * @param newConnections connections accepted during it, so far while it lasts
	 * @param durationMillis how long it lasted, or {@code null} while it lasts
	 */
	public record LameDuckDescriptor(String startedAt, @JsonInclude(Include.ALWAYS) @Nullable String endedAt,
			@JsonInclude(Include.ALWAYS) LameDuck.@Nullable End end, int requests, int newConnections,
			@JsonInclude(Include.ALWAYS) @Nullable Long durationMillis) {

		static LameDuckDescriptor of(LameDuck lameDuck) {
			Instant endedAt = lameDuck.endedAt();
			Duration duration = lameDuck.duration();
			return new LameDuckDescriptor(lameDuck.startedAt().toString(),
					(endedAt != null) ? endedAt.toString() : null, lameDuck.end(), lameDuck.requests(),
					lameDuck.newConnections(), (duration != null) ? duration.toMillis() : null);
		}

	}

	/**
	 * Connection counts. The request reading them counts as one active connection when it
	 * reaches the application's own port.
	 *
	 * @param open open connections
	 * @param idle open connections with no request in flight
	 * @param active connections with a request in flight
	 */
	public record ConnectionsDescriptor(int open, int idle, int active) {

	}

	/**
	 * The drain so far, or its result.
	 *
	 * @param startedAt when it began, ISO-8601
	 * @param deadline when the connections still open are cut, ISO-8601
	 * @param acceptQueue the connections taken from the accept queue as the listen
	 * sockets closed
	 * @param idleClosed connections closed because they were idle
	 * @param completed connections closed after their requests completed
	 * @param forced connections cut at the deadline
	 * @param durationMillis how long it took, or {@code null} while it runs
	 * @param timeline when its steps happened, or {@code null} while it runs
	 */
	public record DrainDescriptor(String startedAt, String deadline, AcceptQueueDescriptor acceptQueue, int idleClosed,
			int completed, int forced, @JsonInclude(Include.ALWAYS) @Nullable Long durationMillis,
			@JsonInclude(Include.ALWAYS) @Nullable TimelineDescriptor timeline) {

		static DrainDescriptor of(DrainProgress progress) {
			return new DrainDescriptor(progress.startedAt().toString(), progress.deadline().toString(),
					AcceptQueueDescriptor.of(progress.acceptQueue()), progress.idleClosed(), progress.completed(),
					progress.forced(), null, null);
		}

		static DrainDescriptor of(DrainResult result) {
			return new DrainDescriptor(result.startedAt().toString(), result.deadline().toString(),
					AcceptQueueDescriptor.of(result.acceptQueue()), result.idleClosed(), result.completed(),
					result.forced(), result.duration().toMillis(), TimelineDescriptor.of(result.timeline()));
		}

	}

	/**
	 * When the steps of a finished drain happened, ISO-8601; it began at the drain's
	 * {@code startedAt}.
	 *
	 * @param lastIdleClosedAt when the drain last closed an idle connection, or
	 * {@code null} if it closed none
	 * @param lastRequestCompletedAt when the last request in flight completed, or
	 * {@code null} if none was
	 * @param cutAt when the connections still open at the deadline were cut, or
	 * {@code null} if none was
	 * @param finishedAt when the last connection closed
	 */
	public record TimelineDescriptor(@JsonInclude(Include.ALWAYS) @Nullable String lastIdleClosedAt,
			@JsonInclude(Include.ALWAYS) @Nullable String lastRequestCompletedAt,
			@JsonInclude(Include.ALWAYS) @Nullable String cutAt, String finishedAt) {

		static TimelineDescriptor of(DrainTimeline timeline) {
			return new TimelineDescriptor(text(timeline.lastIdleClosedAt()), text(timeline.lastRequestCompletedAt()),
					text(timeline.cutAt()), timeline.finishedAt().toString());
		}

		private static @Nullable String text(@Nullable Instant instant) {
			return (instant != null) ? instant.toString() : null;
		}

	}

	/**
	 * The connections the drain took from the listen sockets' accept queue.
	 *
	 * @param served the connections taken from the queue and served
	 * @param drained whether the queue was drained; {@code false} where it cannot be
	 * (Undertow), and its queued connections were reset, uncounted
	 */
	public record AcceptQueueDescriptor(int served, boolean drained) {

		static AcceptQueueDescriptor of(QueuedConnections queued) {
			return new AcceptQueueDescriptor(queued.served(), queued.drained());
		}

	}

}
