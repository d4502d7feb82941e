package dev.terminator.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * The drain's state machine, driven through the same calls a container adapter makes.
 */
class HttpTerminatorTests {

	private static final Duration LONG = Duration.ofSeconds(30);

	@Test
	void drainWithNoConnectionsFinishesAtOnce() throws Exception {
		HttpTerminator terminator = new HttpTerminator(settings(LONG, Duration.ZERO, Duration.ZERO));
		AtomicInteger stopped = new AtomicInteger();
		terminator.attach("test", stopped::incrementAndGet);

		DrainResult result = terminator.terminate().get(2, TimeUnit.SECONDS);

		assertThat(stopped).hasValue(1);
		assertThat(result.idleClosed() + result.completed() + result.forced()).isZero();
		assertThat(result.outcome()).isEqualTo(DrainResult.Outcome.DRAINED);
		assertThat(terminator.state()).isEqualTo(TerminatorState.TERMINATED);
	}

	@Test
	void idleConnectionsCloseActiveOnesCompleteAndTheRestIsForcedAtTheTimeout() throws Exception {
		HttpTerminator terminator = new HttpTerminator(settings(Duration.ofMillis(300), Duration.ZERO, Duration.ZERO));
		FakeConnection idle = FakeConnection.open(terminator);
		FakeConnection finishing = FakeConnection.open(terminator);
		FakeConnection stuck = FakeConnection.open(terminator);
		finishing.tracked.becameActive();
		stuck.tracked.becameActive();
		assertThat(terminator.connections().idleCount()).isEqualTo(1);
		assertThat(terminator.connections().activeCount()).isEqualTo(2);

		CompletableFuture<DrainResult> drain = terminator.terminate();
		await().until(() -> idle.closeIfIdleRequests.get() == 1);
		assertThat(idle.tracked.tryBeginIdleClose()).isTrue();
		idle.tracked.closed();
		finishing.tracked.closed();

		DrainResult result = drain.get(2, TimeUnit.SECONDS);
		assertThat(stuck.forceCloseRequests).hasValue(1);
		assertThat(finishing.forceCloseRequests).hasValue(0);
		assertThat(result.idleClosed()).isEqualTo(1);
		assertThat(result.completed()).isEqualTo(1);
		assertThat(result.forced()).isEqualTo(1);
		assertThat(result.outcome()).isEqualTo(DrainResult.Outcome.FORCED);
		assertThat(terminator.connections().openCount()).isZero();
		assertThat(terminator.connections().activeCount()).isZero();
	}

	@Test
	void connectionThatTurnsActiveWhileItsIdleCloseIsIssuedIsServedNotClosed() throws Exception {
		HttpTerminator terminator = new HttpTerminator(settings(LONG, Duration.ZERO, Duration.ofMillis(200)));
		FakeConnection connection = FakeConnection.open(terminator);
		CompletableFuture<DrainResult> drain = terminator.terminate();
		await().until(() -> connection.closeIfIdleRequests.get() == 1);

		// A request is parsed before the container runs the close it was asked for.
		connection.tracked.becameActive();
		assertThat(connection.tracked.tryBeginIdleClose()).isFalse();

		// The response ends and the connection waits again: the stale close no longer applies; a new one is asked
		// for once the connection has been quiet for the quiet period.
		connection.tracked.becameIdle();
		assertThat(connection.tracked.tryBeginIdleClose()).isFalse();
		assertThat(connection.closeIfIdleRequests).hasValue(1);
		await().until(() -> connection.closeIfIdleRequests.get() == 2);
		assertThat(connection.tracked.tryBeginIdleClose()).isTrue();
		connection.tracked.closed();

		DrainResult result = drain.get(2, TimeUnit.SECONDS);
		assertThat(result.idleClosed()).isEqualTo(1);
		assertThat(result.forced()).isZero();
	}

	@Test
	void connectionUsedWithinTheQuietPeriodIsNotClosedUntilItHasBeenQuiet() throws Exception {
		HttpTerminator terminator = new HttpTerminator(settings(LONG, Duration.ZERO, Duration.ofMillis(400)));
		FakeConnection connection = FakeConnection.open(terminator);
		long start = System.nanoTime();
		CompletableFuture<DrainResult> drain = terminator.terminate();

		await().until(() -> connection.closeIfIdleRequests.get() == 1);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
		assertThat(connection.tracked.tryBeginIdleClose()).isTrue();
		connection.tracked.closed();
		assertThat(drain.get(2, TimeUnit.SECONDS).idleClosed()).isEqualTo(1);
	}

	@Test
	void connectionOpenedDuringTheDrainIsClosedWhenQuiet() throws Exception {
		HttpTerminator terminator = new HttpTerminator(settings(LONG, Duration.ZERO, Duration.ZERO));
		FakeConnection active = FakeConnection.open(terminator);
		active.tracked.becameActive();
		CompletableFuture<DrainResult> drain = terminator.terminate();
		await().until(() -> terminator.state() == TerminatorState.DRAINING);

		FakeConnection late = FakeConnection.open(terminator);
		await().until(() -> late.closeIfIdleRequests.get() == 1);
		late.tracked.tryBeginIdleClose();
		late.tracked.closed();
		assertThat(drain).isNotDone();
		active.tracked.closed();
		DrainResult result = drain.get(2, TimeUnit.SECONDS);
		assertThat(result.idleClosed()).isEqualTo(1);
		assertThat(result.completed()).isEqualTo(1);
	}

	@Test
	void lameDuckDelayKeepsServingThenDrains() throws Exception {
		HttpTerminator terminator = new HttpTerminator(settings(LONG, Duration.ofMillis(300), Duration.ZERO));
		List<String> steps = new ArrayList<>();
		terminator.addListener(new TerminationListener() {

			@Override
			public void delayStarted(Duration delay) {
				steps.add("delay " + delay.toMillis());
			}

			@Override
			public void drainStarted(DrainProgress progress) {
				steps.add("drain");
			}

			@Override
			public void drainFinished(DrainResult result) {
				steps.add("done");
			}

		});
		AtomicInteger stopped = new AtomicInteger();
		terminator.attach("test", stopped::incrementAndGet);
		assertThat(terminator.isClosingConnections()).isFalse();

		CompletableFuture<DrainResult> drain = terminator.terminate();
		assertThat(terminator.state()).isEqualTo(TerminatorState.DELAYING);
		assertThat(terminator.isClosingConnections()).isTrue();
		assertThat(stopped).hasValue(0);
		assertThat(terminator.drainProgress()).isNull();

		drain.get(2, TimeUnit.SECONDS);
		assertThat(stopped).hasValue(1);
		assertThat(steps).containsExactly("delay 300", "drain", "done");
	}

	@Test
	void listenerThatThrowsStopsNeitherTheDrainNorTheOtherListeners() throws Exception {
		HttpTerminator terminator = new HttpTerminator(settings(LONG, Duration.ofMillis(100), Duration.ZERO));
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
		terminator.addListener(new TerminationListener() {

			@Override
			public void delayStarted(Duration delay) {
				steps.add("delay");
			}

			@Override
			public void drainStarted(DrainProgress progress) {
				steps.add("drain");
			}

			@Override
			public void drainFinished(DrainResult result) {
				steps.add("done");
			}

		});
		FakeConnection idle = FakeConnection.open(terminator);
		AtomicInteger stopped = new AtomicInteger();
		terminator.attach("test", stopped::incrementAndGet);

		CompletableFuture<DrainResult> drain = terminator.terminate();
		await().until(() -> idle.closeIfIdleRequests.get() == 1);
		assertThat(idle.tracked.tryBeginIdleClose()).isTrue();
		idle.tracked.closed();

		assertThat(drain.get(2, TimeUnit.SECONDS).idleClosed()).isEqualTo(1);
		assertThat(stopped).hasValue(1);
		assertThat(steps).containsExactly("delay", "drain", "done");
	}

	@RepeatedTest(20)
	void concurrentCallsShareOneDrain() throws Exception {
		HttpTerminator terminator = new HttpTerminator(settings(LONG, Duration.ZERO, Duration.ZERO));
		AtomicInteger stopped = new AtomicInteger();
		terminator.attach("test", stopped::incrementAndGet);
		FakeConnection connection = FakeConnection.open(terminator);
		connection.tracked.becameActive();
		int callers = 4;
		CyclicBarrier barrier = new CyclicBarrier(callers);
		// A thread per caller: the common pool may have fewer threads than the barrier needs (one on two cores).
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
		assertThat(results).allSatisfy((result) -> assertThat(result).isNotDone());
		await().until(() -> terminator.state() == TerminatorState.DRAINING);
		connection.tracked.closed();
		DrainResult first = results.get(0).get(2, TimeUnit.SECONDS);
		for (CompletableFuture<DrainResult> result : results) {
			assertThat(result.get(2, TimeUnit.SECONDS)).isSameAs(first);
		}
		assertThat(stopped).hasValue(1);
		assertThat(first.completed()).isEqualTo(1);
	}

	@Test
	void callersCannotCompleteTheSharedResult() throws Exception {
		HttpTerminator terminator = new HttpTerminator(settings(LONG, Duration.ZERO, Duration.ZERO));
		FakeConnection.open(terminator).tracked.becameActive();
		terminator.terminate().complete(null);
		assertThat(terminator.terminate()).isNotDone();
	}

	@Test
	void zeroTimeoutCutsEveryConnectionAtOnce() throws Exception {
		HttpTerminator terminator = new HttpTerminator(settings(LONG, Duration.ZERO, Duration.ofSeconds(10)));
		FakeConnection active = FakeConnection.open(terminator);
		active.tracked.becameActive();
		FakeConnection idle = FakeConnection.open(terminator);
		CountDownLatch cut = new CountDownLatch(2);
		active.onForceClose = () -> {
			cut.countDown();
			active.tracked.closed();
		};
		idle.onForceClose = () -> {
			cut.countDown();
			idle.tracked.closed();
		};

		DrainResult result = terminator.drain(Duration.ZERO).get(2, TimeUnit.SECONDS);
		assertThat(cut.getCount()).isZero();
		assertThat(result.forced()).isEqualTo(2);
	}

	@Test
	void connectionThatNeverReportsItsCloseIsCountedAsForcedAfterAGrace() throws Exception {
		HttpTerminator terminator = new HttpTerminator(settings(Duration.ZERO, Duration.ZERO, Duration.ZERO));
		FakeConnection deaf = FakeConnection.open(terminator);
		deaf.tracked.becameActive();
		deaf.onForceClose = () -> {
		};
		DrainResult result = terminator.terminate().get(HttpTerminator.FORCE_GRACE.toSeconds() + 2, TimeUnit.SECONDS);
		assertThat(result.forced()).isEqualTo(1);
	}

	@Test
	void closedConnectionIsCountedOnce() throws Exception {
		HttpTerminator terminator = new HttpTerminator(settings(LONG, Duration.ZERO, Duration.ZERO));
		FakeConnection connection = FakeConnection.open(terminator);
		connection.tracked.becameActive();
		CompletableFuture<DrainResult> drain = terminator.terminate();
		await().until(() -> terminator.state() == TerminatorState.DRAINING);
		connection.tracked.closed();
		connection.tracked.closed();
		DrainResult result = drain.get(2, TimeUnit.SECONDS);
		assertThat(result.completed()).isEqualTo(1);
		assertThat(terminator.connections().activeCount()).isZero();
	}

	@Test
	void negativeDurationsAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> settings(Duration.ofSeconds(-1), Duration.ZERO,
				Duration.ZERO))
			.withMessageContaining("timeout");
		HttpTerminator terminator = new HttpTerminator(TerminatorSettings.DEFAULTS);
		assertThatIllegalArgumentException().isThrownBy(() -> terminator.drain(Duration.ofMillis(-1)));
	}

	private static TerminatorSettings settings(Duration timeout, Duration delay, Duration quietPeriod) {
		return new TerminatorSettings(timeout, delay, quietPeriod);
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
	 * The adapter's side of one connection: records what the drain asks for; a forced close closes at once.
	 */
	private static final class FakeConnection implements ConnectionControl {

		final AtomicInteger closeIfIdleRequests = new AtomicInteger();

		final AtomicInteger forceCloseRequests = new AtomicInteger();

		volatile Runnable onForceClose;

		TrackedConnection tracked;

		static FakeConnection open(HttpTerminator terminator) {
			FakeConnection connection = new FakeConnection();
			connection.onForceClose = () -> connection.tracked.closed();
			connection.tracked = terminator.connections().register(connection);
			return connection;
		}

		@Override
		public void closeIfIdle() {
			this.closeIfIdleRequests.incrementAndGet();
		}

		@Override
		public void forceClose() {
			this.forceCloseRequests.incrementAndGet();
			this.onForceClose.run();
		}

	}

}
