package dev.terminator.undertow;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import dev.terminator.core.ConnectionCounts;
import io.undertow.Undertow;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioWorker;

/**
 * An XNIO worker that terminator owns, for an Undertow server to run on
 * ({@code Undertow.Builder.setWorker}).
 *
 * <p>
 * Undertow 2.3 shuts down only a worker it created itself, and in the same call that
 * closes its listen sockets: that closes every connection it accepted in the last
 * milliseconds, with their requests unanswered. On a worker it was given,
 * {@code Undertow.stop()} closes the listen sockets only, which is how terminator stops
 * accepting; the connections already accepted keep being served on this worker, which
 * terminator shuts down once they are done ({@link #shutDownAfter}).
 */
public final class DrainableWorker {

	private static final Log logger = LogFactory.getLog(DrainableWorker.class);

	private static final Duration POLL_INTERVAL = Duration.ofMillis(10);

	private final XnioWorker worker;

	private DrainableWorker(XnioWorker worker) {
		this.worker = worker;
	}

	/**
	 * Create a worker as {@code Undertow.start()} would for its own.
	 * @param ioThreads the IO threads, or {@code null} for Undertow's default,
	 * {@code max(cores, 2)}
	 * @param workerThreads the worker (blocking task) threads, or {@code null} for
	 * Undertow's default, {@code ioThreads * 8}
	 * @return the worker
	 * @throws IOException if XNIO cannot create it
	 */
	public static DrainableWorker create(@Nullable Integer ioThreads, @Nullable Integer workerThreads)
			throws IOException {
		int io = (ioThreads != null) ? ioThreads : Math.max(Runtime.getRuntime().availableProcessors(), 2);
		int blocking = (workerThreads != null) ? workerThreads : io * 8;
		// The options Undertow.start() sets on the worker it creates.
		OptionMap options = OptionMap.builder()
			.set(Options.WORKER_IO_THREADS, io)
			.set(Options.CONNECTION_HIGH_WATER, 1000000)
			.set(Options.CONNECTION_LOW_WATER, 1000000)
			.set(Options.WORKER_TASK_CORE_THREADS, blocking)
			.set(Options.WORKER_TASK_MAX_THREADS, blocking)
			.set(Options.TCP_NODELAY, true)
			.set(Options.CORK, true)
			.getMap();
		return new DrainableWorker(Xnio.getInstance(Undertow.class.getClassLoader()).createWorker(options));
	}

	/**
	 * The XNIO worker, to give to {@code Undertow.Builder.setWorker}.
	 * @return the worker
	 */
	public XnioWorker worker() {
		return this.worker;
	}

	/**
	 * Whether the given server runs on this worker, so that its {@code stop()} closes its
	 * listen sockets only.
	 * @param undertow a started server
	 * @return whether it runs on this worker
	 */
	public boolean runs(Undertow undertow) {
		return undertow.getWorker() == this.worker;
	}

	/**
	 * Shut the worker down once the registry has no open connection left, or when the
	 * wait reaches its bound, then as Undertow shuts down its own worker:
	 * {@code shutdown()}, then {@code shutdownNow()} if it has not terminated within the
	 * shutdown timeout.
	 * @param connections the connections of the server that runs on this worker
	 * @param waitUntil until when to wait for the connections to close
	 * @param shutdownTimeout how long to wait for the worker to terminate, {@code null}
	 * to wait as long as it takes (Undertow's {@code UndertowOptions.SHUTDOWN_TIMEOUT}
	 * semantics)
	 */
	public void shutDownAfter(ConnectionCounts connections, Instant waitUntil, @Nullable Duration shutdownTimeout) {
		try {
			// A connection accepted just before the listen socket closed is served on
			// this worker: shutting it down closes every connection, so wait for the
			// tracked ones to end first.
			while (connections.openCount() > 0 && Instant.now().isBefore(waitUntil)) {
				Thread.sleep(POLL_INTERVAL.toMillis());
			}
			if (connections.openCount() > 0) {
				logger.warn("Shutting Undertow's worker down with " + connections.openCount()
						+ " connection(s) still open");
			}
			this.worker.shutdown();
			if (shutdownTimeout == null) {
				this.worker.awaitTermination();
			}
			else if (!this.worker.awaitTermination(shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
				this.worker.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			this.worker.shutdownNow();
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Shut the worker down at once, closing every connection on it.
	 */
	public void shutDownNow() {
		this.worker.shutdownNow();
	}

}
