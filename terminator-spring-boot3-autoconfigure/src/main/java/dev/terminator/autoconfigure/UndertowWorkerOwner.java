package dev.terminator.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;

import dev.terminator.core.DrainResult;
import dev.terminator.core.HttpTerminator;
import dev.terminator.undertow.DrainableWorker;
import io.undertow.Undertow;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.web.embedded.undertow.UndertowBuilderCustomizer;

/**
 * Owns terminator's {@link DrainableWorker}, which the server's builder runs on so that
 * the drain can close the listen socket alone ({@link UndertowListenSocket}), and shuts
 * it down once the web server has stopped and its last connections have closed.
 */
final class UndertowWorkerOwner implements DisposableBean {

	/**
	 * How long the worker waits for connections accepted in the drain's last moments, at
	 * the least.
	 */
	private static final Duration GRACE = Duration.ofMillis(500);

	private final HttpTerminator terminator;

	private final @Nullable Integer ioThreads;

	private final @Nullable Integer workerThreads;

	private final Object monitor = new Object();

	private @Nullable DrainableWorker worker;

	UndertowWorkerOwner(HttpTerminator terminator, @Nullable ServerProperties serverProperties) {
		this.terminator = terminator;
		ServerProperties.Undertow.Threads threads = (serverProperties != null)
				? serverProperties.getUndertow().getThreads() : null;
		this.ioThreads = (threads != null) ? threads.getIo() : null;
		this.workerThreads = (threads != null) ? threads.getWorker() : null;
	}

	/**
	 * Give the server terminator's worker: an {@link UndertowBuilderCustomizer} that runs
	 * before the application's (not a bean of that type, which Boot would order among the
	 * application's), so that a worker the application sets wins; Undertow then keeps
	 * accepting through the drain, as without terminator.
	 * @param builder the server's builder
	 */
	void useWorker(Undertow.Builder builder) {
		synchronized (this.monitor) {
			if (this.worker == null) {
				try {
					this.worker = DrainableWorker.create(this.ioThreads, this.workerThreads);
				}
				catch (IOException ex) {
					throw new UncheckedIOException("Could not create Undertow's XNIO worker", ex);
				}
			}
			builder.setWorker(this.worker.worker());
		}
	}

	/**
	 * Whether the server runs on terminator's worker, which keeps serving its connections
	 * when the server stops.
	 * @param undertow the server
	 * @return {@code true} if it does, and the worker is not shut down yet
	 */
	boolean runs(Undertow undertow) {
		synchronized (this.monitor) {
			return this.worker != null && this.worker.runs(undertow);
		}
	}

	@Override
	public void destroy() {
		DrainableWorker toShutDown;
		synchronized (this.monitor) {
			toShutDown = this.worker;
			this.worker = null;
		}
		// Beans are destroyed after the context's lifecycles, Boot's web server among
		// them, have stopped.
		if (toShutDown != null) {
			Instant atLeast = Instant.now().plus(GRACE);
			DrainResult drain = this.terminator.drainResult();
			Instant waitUntil = (drain != null && drain.deadline().isAfter(atLeast)) ? drain.deadline() : atLeast;
			// Bounded: a handler thread the drain cut may never end, and the context's
			// close must not wait for it. After a cut, the threads still busy run the
			// handlers the drain gave up on: no wait at all.
			Duration shutdownTimeout = (drain != null && drain.forced() > 0) ? Duration.ZERO : GRACE;
			toShutDown.shutDownAfter(this.terminator.connections(), waitUntil, shutdownTimeout);
		}
	}

}
