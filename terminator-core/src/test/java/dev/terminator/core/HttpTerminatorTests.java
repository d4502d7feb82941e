package dev.terminator.core;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The drain's state machine on {@link ManualTime}, driven through the same calls a
 * container adapter makes: time moves only when a test advances it, so each test states
 * to the nanosecond when a step happens and none waits.
 */
class HttpTerminatorTests {

	private static final Duration LONG = Duration.ofSeconds(30);

	private static final Duration ONE_NANO = Duration.ofNanos(1);

	private final ManualTime time = new ManualTime();

	@Test
	void drainWithNoConnectionsFinishesAtOnceOnTheScheduler() {
		HttpTerminator terminator = terminator(LONG, Duration.ZERO, Duration.ZERO);
		AtomicInteger stopped = new AtomicInteger();
		bind(terminator).addListenSocket(() -> {
			stopped.incrementAndGet();
			return QueuedConnections.served(0);
		});

		CompletableFuture<DrainResult> drain = terminator.terminate();
		// The caller only starts the termination: the drain runs on the scheduler.
		assertThat(stopped).hasValue(0);
		this.time.runDue();

		DrainResult result = drain.getNow(null);
		assertThat(stopped).hasValue(1);
		assertThat(result.idleClosed() + result.completed() + result.forced()).isZero();
		assertThat(result.outcome()).isEqualTo(DrainResult.Outcome.DRAINED);
		assertThat(result.duration()).isZero();
		assertThat(terminator.state()).isEqualTo(TerminatorState.TERMINATED);
		assertThat(this.time.isShutdown()).isTrue();
	}

	@Test
	void idleConnectionIsClosedOnlyOnceItHasBeenQuietForTheQuietPeriod() {
		HttpTerminator terminator = terminator(LONG, Duration.ZERO, Duration.ofSeconds(2));
		FakeConnection connection = FakeConnection.open(terminator);
		this.time.advance(Duration.ofMillis(500));

		CompletableFuture<DrainResult> drain = terminator.terminate();
		this.time.runDue();
		assertThat(terminator.state()).isEqualTo(TerminatorState.DRAINING);
		this.time.advance(Duration.ofMillis(1500).minus(ONE_NANO));
		assertThat(connection.closeIfIdleRequests).hasValue(0);
		this.time.advance(ONE_NANO);
		assertThat(connection.closeIfIdleRequests).hasValue(1);

		assertThat(connection.closeIfStillIdle()).isTrue();
		this.time.runDue();
		DrainResult result = drain.getNow(null);
		assertThat(result.idleClosed()).isEqualTo(1);
		assertThat(result.duration()).isEqualTo(Duration.ofMillis(1500));
	}

	@Test
	void quietPeriodCountsFromTheEndOfTheLastRequest() {
		HttpTerminator terminator = terminator(LONG, Duration.ZERO, Duration.ofSeconds(2));
		FakeConnection connection = FakeConnection.open(terminator);
		this.time.advance(Duration.ofSeconds(10));
		connection.tracked.becameActive();
		this.time.advance(Duration.ofSeconds(1));
		connection.tracked.becameIdle();
		this.time.advance(Duration.ofMillis(500));

		terminator.terminate();
		this.time.advance(Duration.ofMillis(1500).minus(ONE_NANO));
		assertThat(connection.closeIfIdleRequests).hasValue(0);
		this.time.advance(ONE_NANO);
		assertThat(connection.closeIfIdleRequests).hasValue(1);
	}

	@Test
	void idleConnectionsCloseActiveOnesCompleteAndTheRestIsForcedAtTheTimeout() {
		HttpTerminator terminator = terminator(Duration.ofSeconds(10), Duration.ZERO, Duration.ZERO);
		FakeConnection idle = FakeConnection.open(terminator);
		FakeConnection finishing = FakeConnection.open(terminator);
		FakeConnection stuck = FakeConnection.open(terminator);
		finishing.tracked.becameActive();
		stuck.tracked.becameActive();
		assertThat(terminator.connections().idleCount()).isEqualTo(1);
		assertThat(terminator.connections().activeCount()).isEqualTo(2);

		CompletableFuture<DrainResult> drain = terminator.terminate();
		this.time.runDue();
		assertThat(idle.closeIfIdleRequests).hasValue(1);
		assertThat(idle.closeIfStillIdle()).isTrue();
		this.time.advance(Duration.ofSeconds(4));
		finishing.tracked.closed();
		this.time.advance(Duration.ofSeconds(6).minus(ONE_NANO));
		assertThat(stuck.forceCloseRequests).hasValue(0);
		assertThat(drain).isNotDone();
		this.time.advance(ONE_NANO);

		DrainResult result = drain.getNow(null);
		assertThat(stuck.forceCloseRequests).hasValue(1);
		assertThat(finishing.forceCloseRequests).hasValue(0);
		assertThat(List.of(result.idleClosed(), result.completed(), result.forced())).containsExactly(1, 1, 1);
		assertThat(result.outcome()).isEqualTo(DrainResult.Outcome.FORCED);
		assertThat(result.duration()).isEqualTo(Duration.ofSeconds(10));
		assertThat(result.deadline()).isEqualTo(result.startedAt().plusSeconds(10));
		assertThat(terminator.connections().openCount()).isZero();
		assertThat(terminator.connections().activeCount()).isZero();
	}

	@Test
	void forcedConnectionThatNeverReportsItsCloseIsGivenUpOnAfterTheForceGrace() {
		HttpTerminator terminator = terminator(Duration.ofSeconds(1), Duration.ZERO, Duration.ZERO);
		FakeConnection deaf = FakeConnection.open(terminator);
		deaf.tracked.becameActive();
		deaf.onForceClose = () -> {
		};

		CompletableFuture<DrainResult> drain = terminator.terminate();
		this.time.advance(Duration.ofSeconds(1));
		assertThat(deaf.forceCloseRequests).hasValue(1);
		this.time.advance(HttpTerminator.FORCE_GRACE.minus(ONE_NANO));
		assertThat(drain).isNotDone();
		this.time.advance(ONE_NANO);

		DrainResult result = drain.getNow(null);
		assertThat(result.forced()).isEqualTo(1);
		assertThat(result.duration()).isEqualTo(Duration.ofSeconds(1).plus(HttpTerminator.FORCE_GRACE));
		assertThat(terminator.state()).isEqualTo(TerminatorState.TERMINATED);
	}

	@Test
	void terminationWithAConnectionThatNeverReportsItsCloseEndsAtTheLongestTermination() {
		HttpTerminator terminator = terminator(Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ZERO);
		FakeConnection deaf = FakeConnection.open(terminator);
		deaf.tracked.becameActive();
		deaf.onForceClose = () -> {
		};
		Duration longest = terminator.settings().longestTermination();

		CompletableFuture<DrainResult> termination = terminator.terminate();
		this.time.advance(longest.minus(ONE_NANO));
		assertThat(termination).isNotDone();
		this.time.advance(ONE_NANO);

		assertThat(termination).isDone();
		assertThat(longest).isEqualTo(Duration.ofSeconds(4).plus(HttpTerminator.FORCE_GRACE));
	}

	@Test
	void forcedConnectionThatReportsItsCloseWithinTheGraceIsCountedOnceAsForced() {
		HttpTerminator terminator = terminator(Duration.ofSeconds(1), Duration.ZERO, Duration.ZERO);
		FakeConnection slow = FakeConnection.open(terminator);
		slow.tracked.becameActive();
		slow.onForceClose = () -> {
		};

		CompletableFuture<DrainResult> drain = terminator.terminate();
		this.time.advance(Duration.ofSeconds(1));
		this.time.advance(Duration.ofMillis(500));
		// The response completes as the cut lands: the container reports the close from
		// both paths.
		slow.tracked.closed();
		slow.tracked.closed();
		this.time.runDue();

		DrainResult result = drain.getNow(null);
		assertThat(List.of(result.idleClosed(), result.completed(), result.forced())).containsExactly(0, 0, 1);
		assertThat(result.duration()).isEqualTo(Duration.ofMillis(1500));
		this.time.advance(HttpTerminator.FORCE_GRACE);
		assertThat(terminator.drainResult()).isSameAs(result);
	}

	@Test
	void shutdownDelayKeepsServingThenDrains() {
		HttpTerminator terminator = terminator(LONG, Duration.ofSeconds(5), Duration.ZERO);
		List<String> steps = new ArrayList<>();
		terminator.addListener(new StepRecorder(steps));
		AtomicInteger stopped = new AtomicInteger();
		bind(terminator).addListenSocket(() -> {
			stopped.incrementAndGet();
			return QueuedConnections.served(0);
		});
		assertThat(terminator.isClosingConnections()).isFalse();

		CompletableFuture<DrainResult> drain = terminator.terminate();
		assertThat(terminator.state()).isEqualTo(TerminatorState.DELAYING);
		assertThat(terminator.isClosingConnections()).isTrue();
		assertThat(steps).containsExactly("delay 5000");
		this.time.advance(Duration.ofSeconds(5).minus(ONE_NANO));
		assertThat(terminator.state()).isEqualTo(TerminatorState.DELAYING);
		assertThat(stopped).hasValue(0);
		assertThat(terminator.drainProgress()).isNull();
		this.time.advance(ONE_NANO);

		assertThat(stopped).hasValue(1);
		assertThat(steps).containsExactly("delay 5000", "delay ended ELAPSED", "drain", "done");
		DrainResult result = drain.getNow(null);
		assertThat(result.startedAt()).isEqualTo(ManualTime.ORIGIN.plusSeconds(5));
		assertThat(result.deadline()).isEqualTo(result.startedAt().plus(LONG));
		assertThat(result.timeline().lameDuck())
			.isEqualTo(new LameDuck(ManualTime.ORIGIN, ManualTime.ORIGIN.plusSeconds(5), LameDuck.End.ELAPSED, 0, 0));
	}

	@Test
	void lameDuckCountsTheRequestsAndNewConnectionsThatArriveDuringIt() {
		HttpTerminator terminator = terminator(LONG, Duration.ofSeconds(5), Duration.ZERO);
		FakeConnection before = FakeConnection.open(terminator);

		terminator.terminate();
		this.time.advance(Duration.ofSeconds(1));
		before.tracked.becameActive();
		before.tracked.becameIdle();
		FakeConnection arriving = FakeConnection.fresh(terminator);
		arriving.tracked.becameActive();
		assertThat(terminator.lameDuck()).isEqualTo(new LameDuck(ManualTime.ORIGIN, null, null, 2, 1));
		this.time.advance(Duration.ofSeconds(4));

		assertThat(terminator.state()).isEqualTo(TerminatorState.DRAINING);
		// Nothing counted once the drain began.
		arriving.tracked.becameIdle();
		before.tracked.becameActive();
		FakeConnection.fresh(terminator);
		assertThat(terminator.lameDuck())
			.isEqualTo(new LameDuck(ManualTime.ORIGIN, ManualTime.ORIGIN.plusSeconds(5), LameDuck.End.ELAPSED, 2, 1));
	}

	@Test
	void adaptiveDelayEndsOnceNothingNewArrivedForTheQuietTimeButNotBeforeTheMinimum() {
		HttpTerminator terminator = adaptiveTerminator(Duration.ofSeconds(30), Duration.ofSeconds(2),
				Duration.ofSeconds(5));
		List<String> steps = new ArrayList<>();
		terminator.addListener(new StepRecorder(steps));
		FakeConnection connection = FakeConnection.open(terminator);

		CompletableFuture<DrainResult> drain = terminator.terminate();
		// Quiet from the start, but the balancer has not noticed yet: the minimum holds.
		this.time.advance(Duration.ofSeconds(5).minus(ONE_NANO));
		assertThat(terminator.state()).isEqualTo(TerminatorState.DELAYING);
		// A request at 4.999 s: quiet again only at 6.999 s.
		connection.tracked.becameActive();
		connection.tracked.becameIdle();
		this.time.advance(Duration.ofSeconds(2).minus(ONE_NANO));
		assertThat(terminator.state()).isEqualTo(TerminatorState.DELAYING);
		FakeConnection arriving = FakeConnection.fresh(terminator);
		this.time.advance(Duration.ofSeconds(2).minus(ONE_NANO));
		assertThat(terminator.state()).isEqualTo(TerminatorState.DELAYING);
		this.time.advance(ONE_NANO);

		assertThat(terminator.state()).isEqualTo(TerminatorState.DRAINING);
		assertThat(steps).containsExactly("delay 30000", "delay ended QUIET", "drain");
		connection.closeIfStillIdle();
		// Not a request yet: given the first-request wait.
		this.time.advance(HttpTerminator.FIRST_REQUEST_WAIT);
		arriving.closeIfStillIdle();
		this.time.runDue();
		LameDuck lameDuck = drain.getNow(null).timeline().lameDuck();
		assertThat(lameDuck).isEqualTo(new LameDuck(ManualTime.ORIGIN, ManualTime.ORIGIN.plusSeconds(9).minusNanos(2),
				LameDuck.End.QUIET, 1, 1));
		assertThat(lameDuck.duration()).isEqualTo(Duration.ofSeconds(9).minusNanos(2));
	}

	@Test
	void adaptiveDelayEndsAtItsMaximumWhileTrafficKeepsArriving() {
		HttpTerminator terminator = adaptiveTerminator(Duration.ofSeconds(10), Duration.ofSeconds(2),
				Duration.ofSeconds(5));
		FakeConnection connection = FakeConnection.open(terminator);

		CompletableFuture<DrainResult> drain = terminator.terminate();
		for (int i = 0; i < 10; i++) {
			this.time.advance(Duration.ofSeconds(1).minus(ONE_NANO));
			assertThat(terminator.state()).isEqualTo(TerminatorState.DELAYING);
			connection.tracked.becameActive();
			connection.tracked.becameIdle();
			this.time.advance(ONE_NANO);
		}

		assertThat(terminator.state()).isEqualTo(TerminatorState.DRAINING);
		connection.closeIfStillIdle();
		this.time.advance(Duration.ofSeconds(1));
		assertThat(drain.getNow(null).timeline().lameDuck())
			.isEqualTo(new LameDuck(ManualTime.ORIGIN, ManualTime.ORIGIN.plusSeconds(10), LameDuck.End.MAXIMUM, 10, 0));
	}

	@Test
	void adaptiveDelayNeedsAMaximumAtLeastItsMinimum() {
		AdaptiveDelay adaptive = new AdaptiveDelay(Duration.ofSeconds(1), Duration.ofSeconds(5));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new TerminatorSettings(LONG, Duration.ZERO, Duration.ZERO).withAdaptiveDelay(adaptive))
			.withMessageContaining("shutdownDelay");
		assertThatIllegalArgumentException().isThrownBy(
				() -> new TerminatorSettings(LONG, Duration.ofSeconds(4), Duration.ZERO).withAdaptiveDelay(adaptive))
			.withMessageContaining("minimum PT5S must not exceed the shutdownDelay PT4S");
		assertThatIllegalArgumentException().isThrownBy(() -> new AdaptiveDelay(Duration.ZERO, Duration.ZERO))
			.withMessageContaining("quietTime must be positive");
	}

	@Test
	void timelineSaysWhenEachStepOfTheDrainHappened() {
		HttpTerminator terminator = terminator(Duration.ofSeconds(10), Duration.ZERO, Duration.ZERO);
		List<String> steps = new ArrayList<>();
		terminator.addListener(new StepRecorder(steps));
		FakeConnection idle = FakeConnection.open(terminator);
		FakeConnection finishing = FakeConnection.open(terminator);
		FakeConnection stuck = FakeConnection.open(terminator);
		finishing.tracked.becameActive();
		stuck.tracked.becameActive();

		CompletableFuture<DrainResult> drain = terminator.terminate();
		this.time.runDue();
		this.time.advance(Duration.ofSeconds(1));
		idle.closeIfStillIdle();
		this.time.runDue();
		this.time.advance(Duration.ofSeconds(2));
		finishing.tracked.closed();
		this.time.advance(Duration.ofSeconds(7));

		DrainTimeline timeline = drain.getNow(null).timeline();
		assertThat(timeline.lameDuck()).isNull();
		assertThat(timeline.drainStartedAt()).isEqualTo(ManualTime.ORIGIN);
		assertThat(timeline.lastIdleClosedAt()).isEqualTo(ManualTime.ORIGIN.plusSeconds(1));
		assertThat(timeline.lastRequestCompletedAt()).isEqualTo(ManualTime.ORIGIN.plusSeconds(3));
		assertThat(timeline.cutAt()).isEqualTo(ManualTime.ORIGIN.plusSeconds(10));
		assertThat(timeline.finishedAt()).isEqualTo(ManualTime.ORIGIN.plusSeconds(10));
		assertThat(steps).containsExactly("drain", "idle closed 1", "cut 1", "done");
	}

	@Test
	void idleConnectionsClosedIsToldOnceWhenNoIdleConnectionIsLeft() {
		HttpTerminator terminator = terminator(LONG, Duration.ZERO, Duration.ZERO);
		List<String> steps = new ArrayList<>();
		terminator.addListener(new StepRecorder(steps));
		FakeConnection first = FakeConnection.open(terminator);
		FakeConnection second = FakeConnection.open(terminator);
		FakeConnection busy = FakeConnection.open(terminator);
		busy.tracked.becameActive();

		terminator.terminate();
		this.time.runDue();
		first.closeIfStillIdle();
		this.time.runDue();
		assertThat(steps).containsExactly("drain");
		second.closeIfStillIdle();
		this.time.runDue();
		assertThat(steps).containsExactly("drain", "idle closed 2");
		// Idle after its request, then closed: the timeline has it, the event was told.
		busy.tracked.becameIdle();
		this.time.runDue();
		busy.closeIfStillIdle();
		this.time.runDue();
		assertThat(steps).containsExactly("drain", "idle closed 2", "done");
	}

	@Test
	void requestArrivingAsTheDrainClosesItsConnectionIsServedAndTheConnectionCountedOnce() {
		HttpTerminator terminator = terminator(LONG, Duration.ZERO, Duration.ofMillis(200));
		FakeConnection connection = FakeConnection.open(terminator);
		this.time.advance(Duration.ofSeconds(1));
		CompletableFuture<DrainResult> drain = terminator.terminate();
		this.time.runDue();
		assertThat(connection.closeIfIdleRequests).hasValue(1);

		// A request is parsed before the container runs the close it was asked for: it is
		// served, not closed.
		connection.tracked.becameActive();
		assertThat(connection.tracked.tryBeginIdleClose()).isFalse();
		this.time.advance(Duration.ofSeconds(1));
		assertThat(connection.closeIfIdleRequests).hasValue(1);

		// The response ends and the connection waits again: the stale close no longer
		// applies; a new one is asked for once the connection has been quiet for the
		// quiet period.
		connection.tracked.becameIdle();
		assertThat(connection.tracked.tryBeginIdleClose()).isFalse();
		this.time.advance(Duration.ofMillis(200).minus(ONE_NANO));
		assertThat(connection.closeIfIdleRequests).hasValue(1);
		this.time.advance(ONE_NANO);
		assertThat(connection.closeIfIdleRequests).hasValue(2);
		assertThat(connection.closeIfStillIdle()).isTrue();
		this.time.runDue();

		DrainResult result = drain.getNow(null);
		assertThat(List.of(result.idleClosed(), result.completed(), result.forced())).containsExactly(1, 0, 0);
	}

	@Test
	void connectionsTakenFromTheAcceptQueueAreDrainedLikeAnyOtherAndCountedInTheResult() {
		HttpTerminator terminator = terminator(LONG, Duration.ZERO, Duration.ofMillis(200));
		ServerBinding binding = bind(terminator);
		List<FakeConnection> queued = new ArrayList<>();
		// As an adapter's listen socket does: the queued connections are handed to the
		// server, hence registered, before the listen socket closes.
		binding.addListenSocket(() -> {
			queued.add(FakeConnection.fresh(terminator));
			queued.add(FakeConnection.fresh(terminator));
			return QueuedConnections.served(2);
		});
		binding.addListenSocket(() -> QueuedConnections.served(1));
		List<DrainProgress> started = new ArrayList<>();
		terminator.addListener(new TerminationListener() {

			@Override
			public void drainStarted(DrainProgress progress) {
				started.add(progress);
			}

		});

		CompletableFuture<DrainResult> drain = terminator.terminate();
		this.time.runDue();
		assertThat(started).singleElement()
			.extracting(DrainProgress::acceptQueue)
			.isEqualTo(new QueuedConnections(3, true));
		// Their requests are in the socket's buffer: each is served, and the connection
		// closes when quiet, as any other.
		for (FakeConnection connection : queued) {
			connection.tracked.becameActive();
			connection.tracked.becameIdle();
		}
		this.time.advance(Duration.ofMillis(200));
		for (FakeConnection connection : queued) {
			assertThat(connection.closeIfStillIdle()).isTrue();
		}
		this.time.runDue();

		DrainResult result = drain.getNow(null);
		assertThat(result.acceptQueue()).isEqualTo(new QueuedConnections(3, true));
		assertThat(List.of(result.idleClosed(), result.completed(), result.forced())).containsExactly(2, 0, 0);
	}

	@Test
	void connectionWithoutARequestYetIsGivenTheFirstRequestWaitEvenWithNoQuietPeriod() {
		HttpTerminator terminator = terminator(LONG, Duration.ZERO, Duration.ZERO);
		FakeConnection used = FakeConnection.open(terminator);
		FakeConnection fresh = FakeConnection.fresh(terminator);

		CompletableFuture<DrainResult> drain = terminator.terminate();
		this.time.runDue();
		assertThat(used.closeIfIdleRequests).hasValue(1);
		assertThat(used.closeIfStillIdle()).isTrue();
		this.time.advance(HttpTerminator.FIRST_REQUEST_WAIT.minus(ONE_NANO));
		assertThat(fresh.closeIfIdleRequests).hasValue(0);
		this.time.advance(ONE_NANO);
		assertThat(fresh.closeIfIdleRequests).hasValue(1);
		assertThat(fresh.closeIfStillIdle()).isTrue();
		this.time.runDue();

		assertThat(drain.getNow(null).idleClosed()).isEqualTo(2);
	}

	@Test
	void acceptQueueIsReportedNotDrainedWhenAnyListenSocketCouldNotDrainIt() {
		HttpTerminator terminator = terminator(LONG, Duration.ZERO, Duration.ZERO);
		ServerBinding binding = bind(terminator);
		binding.addListenSocket(() -> QueuedConnections.served(4));
		binding.addListenSocket(QueuedConnections::notDrained);
		binding.addListenSocket(() -> {
			throw new IOException("test: cannot close");
		});

		CompletableFuture<DrainResult> drain = terminator.terminate();
		this.time.runDue();

		assertThat(drain.getNow(null).acceptQueue()).isEqualTo(new QueuedConnections(4, false));
	}

	@Test
	void requestThatCameAndWentBeforeTheCloseRanVoidsTheClose() {
		HttpTerminator terminator = terminator(LONG, Duration.ZERO, Duration.ZERO);
		FakeConnection connection = FakeConnection.open(terminator);
		terminator.terminate();
		this.time.runDue();
		assertThat(connection.closeIfIdleRequests).hasValue(1);

		// The close was asked for an idle period that is over: the connection is idle
		// again, but newly so.
		connection.tracked.becameActive();
		connection.tracked.becameIdle();
		assertThat(connection.tracked.tryBeginIdleClose()).isFalse();
		this.time.runDue();
		assertThat(connection.closeIfIdleRequests).hasValue(2);
		assertThat(connection.tracked.tryBeginIdleClose()).isTrue();
	}

	@Test
	void connectionClosedWhileActiveCountsAsCompletedOnce() {
		HttpTerminator terminator = terminator(LONG, Duration.ZERO, Duration.ZERO);
		FakeConnection connection = FakeConnection.open(terminator);
		connection.tracked.becameActive();
		CompletableFuture<DrainResult> drain = terminator.terminate();
		this.time.runDue();
		connection.tracked.closed();
		connection.tracked.closed();
		this.time.runDue();

		DrainResult result = drain.getNow(null);
		assertThat(List.of(result.idleClosed(), result.completed(), result.forced())).containsExactly(0, 1, 0);
		assertThat(terminator.connections().activeCount()).isZero();
	}

	@Test
	void connectionOpenedDuringTheDrainIsClosedWhenQuiet() {
		HttpTerminator terminator = terminator(LONG, Duration.ZERO, Duration.ofSeconds(1));
		FakeConnection active = FakeConnection.open(terminator);
		active.tracked.becameActive();
		CompletableFuture<DrainResult> drain = terminator.terminate();
		this.time.runDue();

		FakeConnection late = FakeConnection.open(terminator);
		this.time.advance(Duration.ofSeconds(1).minus(ONE_NANO));
		assertThat(late.closeIfIdleRequests).hasValue(0);
		this.time.advance(ONE_NANO);
		assertThat(late.closeIfIdleRequests).hasValue(1);
		assertThat(late.closeIfStillIdle()).isTrue();
		this.time.runDue();
		assertThat(drain).isNotDone();
		active.tracked.closed();
		this.time.runDue();

		DrainResult result = drain.getNow(null);
		assertThat(List.of(result.idleClosed(), result.completed(), result.forced())).containsExactly(1, 1, 0);
	}

	@Test
	void listenerThatThrowsStopsNeitherTheDrainNorTheOtherListeners() {
		HttpTerminator terminator = terminator(LONG, Duration.ofMillis(100), Duration.ZERO);
		terminator.addListener(new TerminationListener() {

			@Override
			public void delayStarted(Duration delay) {
				throw new IllegalStateException("delay");
			}

			@Override
			public void drainStarted(DrainProgress progress) {
				throw new IllegalStateException("drain");
			}

			@Override
			public void drainFinished(DrainResult result) {
				throw new IllegalStateException("done");
			}

		});
		List<String> steps = new ArrayList<>();
		terminator.addListener(new StepRecorder(steps));
		FakeConnection idle = FakeConnection.open(terminator);
		AtomicInteger stopped = new AtomicInteger();
		bind(terminator).addListenSocket(() -> {
			stopped.incrementAndGet();
			return QueuedConnections.served(0);
		});

		CompletableFuture<DrainResult> drain = terminator.terminate();
		this.time.advance(Duration.ofMillis(100));
		assertThat(idle.closeIfStillIdle()).isTrue();
		this.time.runDue();

		assertThat(drain.getNow(null).idleClosed()).isEqualTo(1);
		assertThat(stopped).hasValue(1);
		assertThat(steps).containsExactly("delay 100", "delay ended ELAPSED", "drain", "idle closed 1", "done");
	}

	@RepeatedTest(20)
	void drainStartedConcurrentlyIsOneDrainAndEveryCallerGetsItsResult() throws Exception {
		HttpTerminator terminator = terminator(LONG, Duration.ZERO, Duration.ZERO);
		AtomicInteger stopped = new AtomicInteger();
		bind(terminator).addListenSocket(() -> {
			stopped.incrementAndGet();
			return QueuedConnections.served(0);
		});
		FakeConnection connection = FakeConnection.open(terminator);
		connection.tracked.becameActive();
		int callers = 4;
		CyclicBarrier barrier = new CyclicBarrier(callers);
		// A thread per caller: the common pool may have fewer threads than the barrier
		// needs (one on two cores).
		ExecutorService threads = Executors.newFixedThreadPool(callers);
		List<CompletableFuture<CompletableFuture<DrainResult>>> calls = new ArrayList<>();
		for (int i = 0; i < callers; i++) {
			boolean graceful = i % 2 == 0;
			calls.add(CompletableFuture.supplyAsync(() -> {
				awaitAll(barrier);
				return graceful ? terminator.terminate() : terminator.drain(LONG);
			}, threads));
		}
		List<CompletableFuture<DrainResult>> results = new ArrayList<>();
		try {
			for (CompletableFuture<CompletableFuture<DrainResult>> call : calls) {
				results.add(call.get(2, TimeUnit.SECONDS));
			}
		}
		finally {
			threads.shutdownNow();
		}
		assertThat(this.time.pendingTasks()).isOne();
		this.time.runDue();
		assertThat(terminator.state()).isEqualTo(TerminatorState.DRAINING);
		// Once the drain has begun, a call with a shorter timeout joins it rather than
		// cutting the connection.
		results.add(terminator.drain(Duration.ZERO));
		this.time.runDue();
		assertThat(connection.forceCloseRequests).hasValue(0);
		assertThat(results).allSatisfy((result) -> assertThat(result).isNotDone());

		connection.tracked.closed();
		this.time.runDue();
		DrainResult first = results.get(0).getNow(null);
		assertThat(results).allSatisfy((result) -> assertThat(result.getNow(null)).isSameAs(first));
		assertThat(stopped).hasValue(1);
		assertThat(first.completed()).isEqualTo(1);
	}

	@Test
	void callersCannotCompleteTheSharedResult() {
		HttpTerminator terminator = terminator(LONG, Duration.ZERO, Duration.ZERO);
		FakeConnection.open(terminator).tracked.becameActive();
		assertThat(terminator.terminate().complete(null)).isTrue();
		assertThat(terminator.terminate()).isNotDone();
	}

	@Test
	void zeroTimeoutCutsEveryConnectionAtOnce() {
		HttpTerminator terminator = terminator(LONG, Duration.ZERO, Duration.ofSeconds(10));
		FakeConnection active = FakeConnection.open(terminator);
		active.tracked.becameActive();
		FakeConnection idle = FakeConnection.open(terminator);

		CompletableFuture<DrainResult> drain = terminator.drain(Duration.ZERO);
		this.time.runDue();

		DrainResult result = drain.getNow(null);
		assertThat(active.forceCloseRequests).hasValue(1);
		assertThat(idle.forceCloseRequests).hasValue(1);
		assertThat(result.forced()).isEqualTo(2);
		assertThat(result.duration()).isZero();
	}

	@Test
	void negativeDurationsAreRejectedWithTheOneRule() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new TerminatorSettings(Duration.ofSeconds(-1), Duration.ZERO, Duration.ZERO))
			.withMessage("timeout must be zero or positive, was PT-1S");
		assertThat(TerminatorSettings.invalidDurationReason(Duration.ofNanos(-1)))
			.isEqualTo("must be zero or positive");
		assertThat(TerminatorSettings.invalidDurationReason(null)).isEqualTo("must be set");
		assertThat(TerminatorSettings.invalidDurationReason(Duration.ZERO)).isNull();
		HttpTerminator terminator = terminator(LONG, Duration.ZERO, Duration.ZERO);
		assertThatIllegalArgumentException().isThrownBy(() -> terminator.drain(Duration.ofMillis(-1)))
			.withMessage("timeout must be zero or positive, was PT-0.001S");
	}

	@Test
	void onTheSystemsTimeTheDrainRunsOnItsOwnDaemonThreadThatEndsWithIt() throws Exception {
		HttpTerminator terminator = new HttpTerminator(
				new TerminatorSettings(LONG, Duration.ZERO, Duration.ofMillis(50)));
		FakeConnection connection = FakeConnection.open(terminator);
		connection.onCloseIfIdle = connection::closeIfStillIdle;
		CompletableFuture<Thread> drainThread = new CompletableFuture<>();
		terminator.addListener(new TerminationListener() {

			@Override
			public void drainStarted(DrainProgress progress) {
				drainThread.complete(Thread.currentThread());
			}

		});

		DrainResult result = terminator.terminate().get(5, TimeUnit.SECONDS);

		assertThat(result.idleClosed()).isEqualTo(1);
		Thread thread = drainThread.getNow(null);
		assertThat(thread.getName()).isEqualTo("terminator-drain");
		assertThat(thread.isDaemon()).isTrue();
		thread.join(Duration.ofSeconds(5).toMillis());
		assertThat(thread.isAlive()).as("the drain thread ends with the drain").isFalse();
	}

	@Test
	void idleConnectionsClosedIsToldBeforeTheDrainFinishesWhenTheLastIdleCloseEndsIt() throws Exception {
		HttpTerminator terminator = new HttpTerminator(new TerminatorSettings(LONG, Duration.ZERO, Duration.ZERO));
		FakeConnection connection = FakeConnection.open(terminator);
		// Closed at once, as Jetty and Reactor Netty may close it before the drain's
		// own thread looks again.
		connection.onCloseIfIdle = connection::closeIfStillIdle;
		List<String> steps = new CopyOnWriteArrayList<>();
		terminator.addListener(new TerminationListener() {

			@Override
			public void idleConnectionsClosed(DrainProgress progress) {
				steps.add("idle connections closed");
			}

			@Override
			public void drainFinished(DrainResult result) {
				steps.add("drain finished");
			}

		});

		DrainResult result = terminator.terminate().get(5, TimeUnit.SECONDS);

		assertThat(result.idleClosed()).isEqualTo(1);
		assertThat(steps).containsExactly("idle connections closed", "drain finished");
	}

	@Test
	void serverNameIsTheAdaptersNameOnceWhenTheyAgreeAndJoinedWhenTheyDiffer() {
		HttpTerminator terminator = terminator(LONG, Duration.ZERO, Duration.ZERO);
		assertThat(terminator.serverName()).isEqualTo("web server");
		terminator.install(new FakeAdapter("tomcat", List.of()));
		terminator.install(new FakeAdapter("tomcat", List.of()));
		assertThat(terminator.serverName()).isEqualTo("tomcat");
		terminator.install(new FakeAdapter("jetty", List.of()));
		assertThat(terminator.serverName()).isEqualTo("tomcat and jetty");
	}

	@Test
	void installHandsEachAdapterItsBindingAndReturnsWhatItCouldNotTrack() {
		HttpTerminator terminator = terminator(LONG, Duration.ZERO, Duration.ZERO);
		UntrackedConnector nio2 = new UntrackedConnector("Tomcat protocol Nio2", "not the tracking protocol");
		FakeAdapter first = new FakeAdapter("tomcat", List.of(nio2));
		FakeAdapter second = new FakeAdapter("tomcat", List.of());

		assertThat(terminator.install(first)).containsExactly(nio2);
		assertThat(terminator.install(second)).isEmpty();

		assertThat(first.binding).isNotNull().isNotSameAs(second.binding);
		FakeConnection connection = new FakeConnection();
		connection.tracked = second.binding.register(connection);
		assertThat(terminator.connections().openCount()).isEqualTo(1);
		assertThat(terminator.connections()).isNotInstanceOf(ServerBinding.class);
	}

	@Test
	void requestThreadsAreLeftAsConfiguredAfterADrainThatCutNothing() {
		HttpTerminator clean = terminator(LONG, Duration.ZERO, Duration.ZERO);
		FakeRequestThreads cleanThreads = new FakeRequestThreads();
		bind(clean).stopWithoutWaitingAfterCut(cleanThreads);
		clean.terminate();
		this.time.runDue();
		assertThat(clean.drainResult().forced()).isZero();
		assertThat(cleanThreads.stoppedWithoutWaiting).isFalse();
	}

	@Test
	void requestThreadsStopWithoutWaitingAfterADrainThatCutConnections() {
		HttpTerminator cut = terminator(Duration.ofSeconds(1), Duration.ZERO, Duration.ZERO);
		FakeRequestThreads cutThreads = new FakeRequestThreads();
		ServerBinding binding = bind(cut);
		binding.stopWithoutWaitingAfterCut(cutThreads);
		FakeConnection stuck = new FakeConnection();
		stuck.onForceClose = () -> stuck.tracked.closed();
		stuck.tracked = binding.register(stuck);
		stuck.tracked.becameActive();
		cut.terminate();
		this.time.runDue();
		assertThat(cutThreads.stoppedWithoutWaiting).isFalse();
		this.time.advance(Duration.ofSeconds(1));
		this.time.runDue();
		assertThat(cut.drainResult().forced()).isEqualTo(1);
		assertThat(cutThreads.stoppedWithoutWaiting).isTrue();
	}

	@Test
	void webSocketSessionsCloseOnAThreadOfTheirOwnWhenTheDrainBegins() throws Exception {
		HttpTerminator terminator = terminator(LONG, Duration.ZERO, Duration.ZERO);
		CompletableFuture<Thread> closedOn = new CompletableFuture<>();
		terminator.addListener(WebSocketCloser.onDrainStart("test", () -> closedOn.complete(Thread.currentThread())));
		assertThat(closedOn).isNotDone();

		terminator.terminate();
		this.time.runDue();

		Thread thread = closedOn.get(5, TimeUnit.SECONDS);
		assertThat(thread).isNotSameAs(Thread.currentThread());
		assertThat(thread.getName()).isEqualTo("terminator-websocket-close");
		assertThat(thread.isDaemon()).isTrue();
	}

	private HttpTerminator terminator(Duration timeout, Duration delay, Duration quietPeriod) {
		return new HttpTerminator(new TerminatorSettings(timeout, delay, quietPeriod), this.time, this.time);
	}

	private HttpTerminator adaptiveTerminator(Duration maximum, Duration quietTime, Duration minimum) {
		TerminatorSettings settings = new TerminatorSettings(LONG, maximum, Duration.ZERO)
			.withAdaptiveDelay(new AdaptiveDelay(quietTime, minimum));
		return new HttpTerminator(settings, this.time, this.time);
	}

	/**
	 * Install an adapter named {@code test} and hand back its binding, as an adapter gets
	 * it.
	 */
	private static ServerBinding bind(HttpTerminator terminator) {
		FakeAdapter adapter = new FakeAdapter("test", List.of());
		terminator.install(adapter);
		return adapter.binding;
	}

	private static void awaitAll(CyclicBarrier barrier) {
		try {
			barrier.await(2, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Records the steps of the termination.
	 */
	private record StepRecorder(List<String> steps) implements TerminationListener {

		@Override
		public void delayStarted(Duration delay) {
			this.steps.add("delay " + delay.toMillis());
		}

		@Override
		public void delayEnded(LameDuck lameDuck) {
			this.steps.add("delay ended " + lameDuck.end());
		}

		@Override
		public void drainStarted(DrainProgress progress) {
			this.steps.add("drain");
		}

		@Override
		public void idleConnectionsClosed(DrainProgress progress) {
			this.steps.add("idle closed " + progress.idleClosed());
		}

		@Override
		public void connectionsCut(DrainProgress progress, int connections) {
			this.steps.add("cut " + connections);
		}

		@Override
		public void drainFinished(DrainResult result) {
			this.steps.add("done");
		}

	}

	private static final class FakeAdapter implements ServerAdapter {

		private final String name;

		private final List<UntrackedConnector> untracked;

		ServerBinding binding;

		FakeAdapter(String name, List<UntrackedConnector> untracked) {
			this.name = name;
			this.untracked = untracked;
		}

		@Override
		public String serverName() {
			return this.name;
		}

		@Override
		public List<UntrackedConnector> install(ServerBinding binding) {
			this.binding = binding;
			return this.untracked;
		}

	}

	private static final class FakeRequestThreads implements RequestThreads {

		volatile boolean stoppedWithoutWaiting;

		@Override
		public void stopWithoutWaiting() {
			this.stoppedWithoutWaiting = true;
		}

		@Override
		public int busyCount() {
			return 1;
		}

	}

	/**
	 * The adapter's side of one connection: records what the drain asks for; a forced
	 * close closes at once unless the test says otherwise.
	 */
	private static final class FakeConnection implements ConnectionControl {

		final AtomicInteger closeIfIdleRequests = new AtomicInteger();

		final AtomicInteger forceCloseRequests = new AtomicInteger();

		volatile Runnable onCloseIfIdle = () -> {
		};

		volatile Runnable onForceClose;

		TrackedConnection tracked;

		/**
		 * A keep-alive connection that has served a request and waits for the next.
		 */
		static FakeConnection open(HttpTerminator terminator) {
			FakeConnection connection = fresh(terminator);
			connection.tracked.becameActive();
			connection.tracked.becameIdle();
			return connection;
		}

		/**
		 * A connection just accepted, before its first request.
		 */
		static FakeConnection fresh(HttpTerminator terminator) {
			FakeConnection connection = new FakeConnection();
			connection.onForceClose = () -> connection.tracked.closed();
			connection.tracked = bind(terminator).register(connection);
			return connection;
		}

		/**
		 * What an adapter does on the connection's processing path once asked for an idle
		 * close.
		 * @return whether it closed the connection
		 */
		boolean closeIfStillIdle() {
			if (this.tracked.tryBeginIdleClose()) {
				this.tracked.closed();
				return true;
			}
			return false;
		}

		@Override
		public void closeIfIdle() {
			this.closeIfIdleRequests.incrementAndGet();
			this.onCloseIfIdle.run();
		}

		@Override
		public void forceClose() {
			this.forceCloseRequests.incrementAndGet();
			this.onForceClose.run();
		}

	}

}
