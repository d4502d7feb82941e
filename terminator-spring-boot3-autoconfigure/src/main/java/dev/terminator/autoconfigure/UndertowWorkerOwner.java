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
 * Owns terminator's {@link DrainableWorker}: creates it, with the thread counts of
 * {@code server.undertow.threads}, for the server's builder to run on, so that the drain
 * can close the listen socket alone with {@code Undertow.stop()} (see
 * {@link UndertowListenSocket}), and shuts it down once the web server has stopped and
 * its last connections have closed. Beans are destroyed after the context's lifecycles
 * have stopped, Boot's web server among them.
 *
 * <p>
 * An application that gives Undertow a worker of its own
 * ({@code Undertow.Builder.setWorker} in an {@link UndertowBuilderCustomizer}) keeps it:
 * {@link #useWorker} runs first, and the server then keeps accepting through the drain as
 * without terminator's worker.
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
	 * application's).
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
