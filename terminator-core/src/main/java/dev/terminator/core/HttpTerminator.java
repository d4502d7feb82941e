package dev.terminator.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Terminates an HTTP server the way production needs: stop accepting, close idle
 * keep-alive connections at once, let requests in flight finish with
 * {@code Connection: close}, and cut what is still open at the timeout.
 *
 * <p>
 * Applications, the actuator endpoint and the meters read it: its {@link #state()}, its
 * {@link #connections()} and the drain's progress and result. Server adapters
 * ({@link ServerAdapter}) are {@link #install(ServerAdapter) installed} once, before the
 * server starts, and feed it through the {@link ServerBinding} each gets. Whatever calls
 * {@link #terminate()} or {@link #drain(Duration)}, and however often, there is one
 * termination and every caller gets its result.
 */
public final class HttpTerminator {

	/**
	 * How long connections that were force-closed get to report their close before the
	 * drain gives up on them.
	 */
	static final Duration FORCE_GRACE = Duration.ofSeconds(2);

	/**
	 * How long the drain waits, at least, for the first request of a connection that has
	 * not sent one yet, whatever the quiet period: its client connected to send one, and
	 * has usually sent it already (the connections taken from the accept queue as the
	 * drain begins are such connections). Closing it before the container has read the
	 * request would reset it.
	 */
	static final Duration FIRST_REQUEST_WAIT = Duration.ofSeconds(1);

	private static final Log logger = LogFactory.getLog(HttpTerminator.class);

	private final TerminatorSettings settings;

	private final TerminatorClock clock;

	private final TerminatorScheduler scheduler;

	private final ConnectionRegistry connections;

	private final List<ListenSocket> listenSockets = new CopyOnWriteArrayList<>();

	private final CopyOnWriteArrayList<String> serverNames = new CopyOnWriteArrayList<>();

	private final List<TerminationListener> listeners = new CopyOnWriteArrayList<>();

	private final CompletableFuture<DrainResult> result = new CompletableFuture<>();

	private final Object lifecycleLock = new Object();

	private volatile TerminatorState state = TerminatorState.RUNNING;

	private volatile @Nullable Drain drain;

	private volatile @Nullable LameDuckWatch lameDuck;

	private volatile @Nullable DrainResult finalResult;

	private boolean started;

	/**
	 * Create a terminator on the system's clock, whose steps run on a thread of its own
	 * once it terminates.
	 * @param settings timeout, delay and quiet period
	 */
	public HttpTerminator(TerminatorSettings settings) {
		this(settings, TerminatorClock.SYSTEM, new SystemTerminatorScheduler());
	}

	/**
	 * Create a terminator on the given time: the engine reads no other clock and runs
	 * every step through the scheduler, so that a test that owns both drives the state
	 * machine without waiting.
	 * @param settings timeout, delay and quiet period
	 * @param clock where the time is read
	 * @param scheduler what runs the steps
	 */
	HttpTerminator(TerminatorSettings settings, TerminatorClock clock, TerminatorScheduler scheduler) {
		this.settings = settings;
		this.clock = clock;
		this.scheduler = scheduler;
		this.connections = new ConnectionRegistry(new DrainEvents(), clock);
	}

	/**
	 * The numbers of the server's open connections, idle and active.
	 * @return a live view of the counts
	 */
	public ConnectionCounts connections() {
		return this.connections;
	}

	/**
	 * Hook a server (or one connector of it) into this terminator: the adapter gets a
	 * binding of its own, through which alone it registers its connections and listen
	 * sockets. Install before the server starts.
	 * @param adapter the server's adapter
	 * @return the connectors whose connections the adapter cannot track, for the caller
	 * to tell the user; empty when every connection is tracked
	 */
	public List<UntrackedConnector> install(ServerAdapter adapter) {
		String name = adapter.serverName();
		this.serverNames.addIfAbsent(name);
		return List.copyOf(adapter.install(new AdapterBinding(name)));
	}

	/**
	 * Be told of the steps of the termination. Listeners are called in the order they
	 * were added; adding a listener that was added already (the same instance) has no
	 * effect, so that it is called once per step however many places add it.
	 * @param listener the listener
	 */
	public void addListener(TerminationListener listener) {
		synchronized (this.listeners) {
			for (TerminationListener added : this.listeners) {
				if (added == listener) {
					return;
				}
			}
			this.listeners.add(listener);
		}
	}

	/**
	 * Stop telling a listener of the steps of the termination, such as a meter binder
	 * that is closed. A step being notified as it is removed may still reach it.
	 * @param listener the listener, as it was added
	 */
	public void removeListener(TerminationListener listener) {
		synchronized (this.listeners) {
			this.listeners.removeIf((added) -> added == listener);
		}
	}

	/**
	 * Terminate with the configured settings: the lame-duck delay, if any, then the drain
	 * with the configured timeout.
	 * @return the result of the one drain, completed once every connection is closed
	 */
	public CompletableFuture<DrainResult> terminate() {
		return start(this.settings.shutdownDelay(), this.settings.timeout());
	}

	/**
	 * Drain now, without lame-duck delay. {@code Duration.ZERO} cuts every connection at
	 * once.
	 * @param timeout how long requests in flight get before their connections are cut
	 * @return the result of the one drain, completed once every connection is closed; if
	 * a termination had already begun, its result
	 */
	public CompletableFuture<DrainResult> drain(Duration timeout) {
		TerminatorSettings.requireValidDuration(timeout, "timeout");
		return start(Duration.ZERO, timeout);
	}

	/**
	 * Where the termination is.
	 * @return the state
	 */
	public TerminatorState state() {
		return this.state;
	}

	/**
	 * Whether responses should ask clients to close their connections: from the start of
	 * the lame-duck delay on.
	 * @return {@code true} once a termination has begun
	 */
	public boolean isClosingConnections() {
		// The drain exists before the listen sockets stop accepting: the connections they
		// take from their accept queues are served while the state is still RUNNING
		// (DRAINING promises the listen sockets closed), and must get Connection: close.
		return this.drain != null || this.state != TerminatorState.RUNNING;
	}

	/**
	 * The drain so far; once it has finished, its final counts.
	 * @return the progress, or {@code null} before the drain began
	 */
	public @Nullable DrainProgress drainProgress() {
		Drain current = this.drain;
		return (current != null) ? current.progress() : null;
	}

	/**
	 * The lame-duck delay of the termination: while it lasts, what arrived so far; once
	 * it ended, why.
	 * @return the delay, or {@code null} before a termination began or if it had none
	 */
	public @Nullable LameDuck lameDuck() {
		LameDuckWatch current = this.lameDuck;
		return (current != null) ? current.snapshot() : null;
	}

	/**
	 * The result of the drain, once it has finished.
	 * @return the result, or {@code null} before every connection is closed
	 */
	public @Nullable DrainResult drainResult() {
		return this.finalResult;
	}

	/**
	 * The name of the server, as its adapters give it: one name when they all agree (two
	 * Tomcat connectors), the names joined when they differ.
	 * @return such as {@code tomcat}, or {@code web server} before any adapter was
	 * installed
	 */
	public String serverName() {
		return this.serverNames.isEmpty() ? "web server" : String.join(" and ", this.serverNames);
	}

	/**
	 * The settings.
	 * @return the settings
	 */
	public TerminatorSettings settings() {
		return this.settings;
	}

	private CompletableFuture<DrainResult> start(Duration delay, Duration timeout) {
		synchronized (this.lifecycleLock) {
			if (!this.started) {
				this.started = true;
				if (delay.isZero()) {
					schedule(() -> beginDrain(timeout), Duration.ZERO);
				}
				else {
					LameDuckWatch watch = new LameDuckWatch(this.clock.instant(), this.clock.nanoTime());
					this.lameDuck = watch;
					this.state = TerminatorState.DELAYING;
					logger.info("Shutdown delay of " + describeDelay(delay) + " begins: " + serverName()
							+ " keeps serving, with Connection: close");
					notifyListeners((listener) -> listener.delayStarted(delay));
					AdaptiveDelay adaptive = this.settings.adaptiveDelay();
					if (adaptive == null) {
						schedule(() -> endDelay(watch, LameDuck.End.ELAPSED, timeout), delay);
					}
					else {
						schedule(() -> endDelay(watch, LameDuck.End.MAXIMUM, timeout), delay);
						schedule(() -> endDelayIfQuiet(watch, adaptive, timeout),
								max(adaptive.minimum(), adaptive.quietTime()));
					}
				}
			}
		}
		return this.result.copy();
	}

	private String describeDelay(Duration delay) {
		AdaptiveDelay adaptive = this.settings.adaptiveDelay();
		if (adaptive == null) {
			return delay.toMillis() + " ms";
		}
		return "at most " + delay.toMillis() + " ms (ends after " + adaptive.quietTime().toMillis()
				+ " ms without a new connection or request, not before " + adaptive.minimum().toMillis() + " ms)";
	}

	// Checks again when the quiet time since the last arrival will have passed.
	private void endDelayIfQuiet(LameDuckWatch watch, AdaptiveDelay adaptive, Duration timeout) {
		if (watch.isEnded()) {
			return;
		}
		long now = this.clock.nanoTime();
		long quietUntil = watch.lastArrivalNanos + adaptive.quietTime().toNanos();
		long notBefore = watch.startNanos + adaptive.minimum().toNanos();
		long due = Math.max(quietUntil, notBefore);
		if (due <= now) {
			endDelay(watch, LameDuck.End.QUIET, timeout);
		}
		else {
			schedule(() -> endDelayIfQuiet(watch, adaptive, timeout), Duration.ofNanos(due - now));
		}
	}

	private void endDelay(LameDuckWatch watch, LameDuck.End end, Duration timeout) {
		LameDuck ended = watch.end(end, this.clock.instant(), this.clock.nanoTime());
		if (ended == null) {
			return;
		}
		logger.info("Shutdown delay ended after " + toMillis(ended.duration()) + " ms, " + describe(end, watch) + ": "
				+ ended.requests() + " request(s) and " + ended.newConnections()
				+ " new connection(s) arrived during it");
		notifyListeners((listener) -> listener.delayEnded(ended));
		beginDrain(timeout);
	}

	private static String describe(LameDuck.End end, LameDuckWatch watch) {
		long sinceLastArrival = (watch.endNanos - watch.lastArrivalNanos) / 1_000_000;
		return switch (end) {
			case QUIET -> "quiet: nothing new for " + sinceLastArrival + " ms";
			case MAXIMUM -> "maximum reached: the last arrival was " + sinceLastArrival + " ms before";
			case ELAPSED -> "elapsed";
		};
	}

	private static long toMillis(@Nullable Duration duration) {
		return (duration != null) ? duration.toMillis() : 0;
	}

	private static Duration max(Duration a, Duration b) {
		return (a.compareTo(b) >= 0) ? a : b;
	}

	private void beginDrain(Duration timeout) {
		Drain current = new Drain(this.clock.instant(), this.clock.nanoTime(), timeout);
		this.drain = current;
		QueuedConnections queued = QueuedConnections.served(0);
		for (ListenSocket listenSocket : this.listenSockets) {
			try {
				queued = queued.plus(listenSocket.stopAccepting());
			}
			catch (Exception ex) {
				logger.warn("Could not close a listen socket of " + serverName(), ex);
				queued = queued.plus(QueuedConnections.notDrained());
			}
		}
		current.acceptQueue = queued;
		// Only now: DRAINING promises that the listen sockets are closed. Connections
		// that turn idle from here on are closed through becameIdle, those already idle
		// through the snapshot below.
		this.state = TerminatorState.DRAINING;
		logger.info("Draining " + serverName() + ": " + this.connections.idleCount() + " idle and "
				+ this.connections.activeCount() + " active connection(s), " + describe(queued) + "; cut at "
				+ current.timeout.toMillis() + " ms");
		notifyListeners((listener) -> listener.drainStarted(current.progress()));
		long now = this.clock.nanoTime();
		for (TrackedConnection connection : this.connections.snapshot()) {
			closeWhenQuiet(connection, now);
		}
		schedule(() -> forceRemaining(current), timeout);
		finishIfEmpty(current);
	}

	private void closeWhenQuiet(TrackedConnection connection, long nowNanos) {
		if (!connection.isIdle()) {
			return;
		}
		long quietNanos = this.settings.quietPeriod().toNanos();
		if (!connection.hasCarriedRequest()) {
			quietNanos = Math.max(quietNanos, FIRST_REQUEST_WAIT.toNanos());
		}
		long remaining = quietNanos - connection.idleNanos(nowNanos);
		if (remaining <= 0) {
			connection.requestIdleClose();
		}
		else {
			schedule(() -> closeWhenQuiet(connection, this.clock.nanoTime()), Duration.ofNanos(remaining));
		}
	}

	private void forceRemaining(Drain current) {
		if (current.isFinished()) {
			return;
		}
		List<TrackedConnection> remaining = this.connections.snapshot();
		if (!remaining.isEmpty()) {
			current.cutAt = this.clock.instant();
			logger.info("Drain timeout of " + current.timeout.toMillis() + " ms passed: cutting " + remaining.size()
					+ " connection(s) of " + serverName());
			DrainProgress progress = current.progress();
			notifyListeners((listener) -> listener.connectionsCut(progress, remaining.size()));
		}
		for (TrackedConnection connection : remaining) {
			try {
				connection.forceClose();
			}
			catch (RuntimeException ex) {
				logger.warn("Could not close connection " + connection, ex);
			}
		}
		schedule(() -> abandonRemaining(current), FORCE_GRACE);
		finishIfEmpty(current);
	}

	private void abandonRemaining(Drain current) {
		int left = this.connections.openCount();
		if (left > 0 && !current.isFinished()) {
			logger.warn(left + " connection(s) of " + serverName() + " did not report their close within "
					+ FORCE_GRACE.toMillis() + " ms of being cut; counting them as forced");
			current.forced.addAndGet(left);
			finish(current);
		}
	}

	// On the terminator's thread, once: the first time an idle close left no idle
	// connection.
	private void notifyIdleConnectionsClosed(Drain current) {
		if (!current.idleClosedNotified && !current.isFinished()) {
			current.idleClosedNotified = true;
			DrainProgress progress = current.progress();
			notifyListeners((listener) -> listener.idleConnectionsClosed(progress));
		}
	}

	private void finishIfEmpty(Drain current) {
		if (this.connections.openCount() == 0) {
			finish(current);
		}
	}

	private void finish(Drain current) {
		// The last connection's idle close can finish the drain before the step it
		// scheduled runs: the listeners hear of it first, as they would otherwise.
		if (current.idleClosed.get() > 0) {
			notifyIdleConnectionsClosed(current);
		}
		LameDuckWatch watch = this.lameDuck;
		DrainResult drainResult = current.finish(this.clock.nanoTime(), this.clock.instant(),
				(watch != null) ? watch.snapshot() : null);
		if (drainResult == null) {
			return;
		}
		// Before the state: a reader that sees TERMINATED finds the result.
		this.finalResult = drainResult;
		this.state = TerminatorState.TERMINATED;
		logger.info(summary(drainResult));
		notifyListeners((listener) -> listener.drainFinished(drainResult));
		this.result.complete(drainResult);
		this.scheduler.shutdown();
	}

	// Listeners include the application's own: one that throws must not stop the
	// termination, nor the others.
	private void notifyListeners(Consumer<TerminationListener> notification) {
		for (TerminationListener listener : this.listeners) {
			try {
				notification.accept(listener);
			}
			catch (RuntimeException ex) {
				logger.warn("Termination listener " + listener + " failed; the termination goes on", ex);
			}
		}
	}

	private String summary(DrainResult result) {
		return "Drained " + serverName() + " in " + result.duration().toMillis() + " ms: " + result.idleClosed()
				+ " idle closed, " + result.completed() + " completed, " + result.forced() + " forced; "
				+ describe(result.acceptQueue());
	}

	private static String describe(QueuedConnections queued) {
		return queued.drained() ? queued.served() + " taken from the accept queue"
				: "accept queue not drained (" + queued.served() + " taken)";
	}

	private void schedule(Runnable task, Duration delay) {
		this.scheduler.schedule(task, delay);
	}

	/**
	 * What one adapter sees of the terminator.
	 */
	private final class AdapterBinding implements ServerBinding {

		private final String serverName;

		AdapterBinding(String serverName) {
			this.serverName = serverName;
		}

		@Override
		public TrackedConnection register(ConnectionControl control) {
			return HttpTerminator.this.connections.register(control);
		}

		@Override
		public void addListenSocket(ListenSocket listenSocket) {
			HttpTerminator.this.listenSockets.add(listenSocket);
		}

		@Override
		public void addListener(TerminationListener listener) {
			HttpTerminator.this.addListener(listener);
		}

		@Override
		public void stopWithoutWaitingAfterCut(RequestThreads threads) {
			addListener(new StopAfterCut(this.serverName, threads));
		}

		@Override
		public boolean isClosingConnections() {
			return HttpTerminator.this.isClosingConnections();
		}

		@Override
		public String toString() {
			return "ServerBinding[" + this.serverName + "]";
		}

	}

	private final class DrainEvents implements ConnectionRegistry.ConnectionEvents {

		@Override
		public void registered(TrackedConnection connection) {
			LameDuckWatch watch = HttpTerminator.this.lameDuck;
			if (watch != null && HttpTerminator.this.state == TerminatorState.DELAYING) {
				watch.newConnections.incrementAndGet();
				watch.lastArrivalNanos = HttpTerminator.this.clock.nanoTime();
			}
		}

		@Override
		public void requestStarted() {
			LameDuckWatch watch = HttpTerminator.this.lameDuck;
			if (watch != null && HttpTerminator.this.state == TerminatorState.DELAYING) {
				watch.requests.incrementAndGet();
				watch.lastArrivalNanos = HttpTerminator.this.clock.nanoTime();
			}
		}

		@Override
		public void requestCompleted() {
			Drain current = HttpTerminator.this.drain;
			if (current != null && !current.isFinished()) {
				current.lastRequestCompletedAt = HttpTerminator.this.clock.instant();
			}
		}

		@Override
		public void becameIdle(TrackedConnection connection) {
			if (HttpTerminator.this.state == TerminatorState.DRAINING) {
				schedule(() -> closeWhenQuiet(connection, HttpTerminator.this.clock.nanoTime()), Duration.ZERO);
			}
		}

		@Override
		public void closing(TrackedConnection connection, CloseReason reason) {
			Drain current = HttpTerminator.this.drain;
			if (current != null && !current.isFinished()) {
				current.count(reason);
				if (reason == CloseReason.IDLE) {
					current.lastIdleClosedAt = HttpTerminator.this.clock.instant();
				}
			}
		}

		@Override
		public void closed(TrackedConnection connection, CloseReason reason) {
			Drain current = HttpTerminator.this.drain;
			if (current == null || current.isFinished()) {
				return;
			}
			if (reason == CloseReason.IDLE && !current.idleClosedNotified
					&& HttpTerminator.this.connections.idleCount() == 0) {
				schedule(() -> notifyIdleConnectionsClosed(current), Duration.ZERO);
			}
			if (HttpTerminator.this.connections.openCount() == 0) {
				schedule(() -> finishIfEmpty(current), Duration.ZERO);
			}
		}

	}

	private static final class Drain {

		private final Instant startedAt;

		private final long startNanos;

		private final Duration timeout;

		private final AtomicInteger idleClosed = new AtomicInteger();

		private final AtomicInteger completed = new AtomicInteger();

		private final AtomicInteger forced = new AtomicInteger();

		// Set once the listen sockets are closed, before the drain is visible as
		// DRAINING.
		private volatile QueuedConnections acceptQueue = QueuedConnections.served(0);

		private final AtomicBoolean finished = new AtomicBoolean();

		private volatile @Nullable Instant lastIdleClosedAt;

		private volatile @Nullable Instant lastRequestCompletedAt;

		private volatile @Nullable Instant cutAt;

		// Read and written on the terminator's thread only.
		private boolean idleClosedNotified;

		Drain(Instant startedAt, long startNanos, Duration timeout) {
			this.startedAt = startedAt;
			this.startNanos = startNanos;
			this.timeout = timeout;
		}

		void count(CloseReason reason) {
			switch (reason) {
				case IDLE -> this.idleClosed.incrementAndGet();
				case COMPLETED -> this.completed.incrementAndGet();
				case FORCED -> this.forced.incrementAndGet();
			}
		}

		// Only the first call finishes the drain and gets its result; the counts are
		// final from then on, since DrainEvents counts no close after it.
		@Nullable DrainResult finish(long nowNanos, Instant now, @Nullable LameDuck lameDuck) {
			if (!this.finished.compareAndSet(false, true)) {
				return null;
			}
			DrainTimeline timeline = new DrainTimeline(lameDuck, this.startedAt, this.lastIdleClosedAt,
					this.lastRequestCompletedAt, this.cutAt, now);
			return new DrainResult(this.startedAt, deadline(), this.acceptQueue, this.idleClosed.get(),
					this.completed.get(), this.forced.get(), Duration.ofNanos(nowNanos - this.startNanos), timeline);
		}

		boolean isFinished() {
			return this.finished.get();
		}

		DrainProgress progress() {
			return new DrainProgress(this.startedAt, deadline(), this.acceptQueue, this.idleClosed.get(),
					this.completed.get(), this.forced.get());
		}

		private Instant deadline() {
			return this.startedAt.plus(this.timeout);
		}

	}

	/**
	 * The lame-duck delay as it runs: what arrives during it, and its one end.
	 */
	private static final class LameDuckWatch {

		private final Instant startedAt;

		private final long startNanos;

		private final AtomicInteger requests = new AtomicInteger();

		private final AtomicInteger newConnections = new AtomicInteger();

		// The delay's start counts as an arrival: the quiet time runs from there at the
		// earliest.
		private volatile long lastArrivalNanos;

		private final AtomicBoolean ended = new AtomicBoolean();

		private volatile long endNanos;

		private volatile @Nullable Instant endedAt;

		private volatile LameDuck.@Nullable End end;

		LameDuckWatch(Instant startedAt, long startNanos) {
			this.startedAt = startedAt;
			this.startNanos = startNanos;
			this.lastArrivalNanos = startNanos;
		}

		boolean isEnded() {
			return this.ended.get();
		}

		// Only the first call ends the delay and gets its result.
		@Nullable LameDuck end(LameDuck.End why, Instant now, long nowNanos) {
			if (!this.ended.compareAndSet(false, true)) {
				return null;
			}
			this.endNanos = nowNanos;
			this.endedAt = now;
			this.end = why;
			return snapshot();
		}

		LameDuck snapshot() {
			return new LameDuck(this.startedAt, this.endedAt, this.end, this.requests.get(), this.newConnections.get());
		}

	}

}
