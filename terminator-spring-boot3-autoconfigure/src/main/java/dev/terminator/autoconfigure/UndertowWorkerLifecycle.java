package dev.terminator.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;

import dev.terminator.core.DrainResult;
import dev.terminator.core.HttpTerminator;
import dev.terminator.undertow.DrainableWorker;
import dev.terminator.undertow.TrackingHandlerWrapper;
import io.undertow.Undertow;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.boot.web.embedded.undertow.UndertowBuilderCustomizer;
import org.springframework.boot.web.embedded.undertow.UndertowWebServer;
import org.springframework.context.ApplicationListener;

/**
 * Runs Undertow on a {@link DrainableWorker}, so that the drain can close the listen
 * socket alone with {@code Undertow.stop()}, and shuts that worker down once the web
 * server has stopped and its last connections have closed. Beans are destroyed after the
 * context's lifecycles have stopped, Boot's web server among them.
 *
 * <p>
 * An application that gives Undertow a worker of its own
 * ({@code Undertow.Builder.setWorker} in an {@link UndertowBuilderCustomizer}) keeps it:
 * this customizer runs first, and the server then keeps accepting through the drain as
 * without terminator's worker.
 */
final class UndertowWorkerLifecycle implements ApplicationListener<WebServerInitializedEvent>, DisposableBean {

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

	private @Nullable Undertow undertow;

	UndertowWorkerLifecycle(HttpTerminator terminator, @Nullable ServerProperties serverProperties) {
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

	@Override
	public void onApplicationEvent(WebServerInitializedEvent event) {
		// Only the application's server: a management server on a port of its own
		// publishes its event in a child context, which reaches this listener too.
		if (event.getApplicationContext().getServerNamespace() == null
				&& event.getWebServer() instanceof UndertowWebServer webServer) {
			synchronized (this.monitor) {
				this.undertow = webServer.getUndertow();
			}
		}
	}

	/**
	 * Stop the server's accepting: close its listen sockets if it runs on terminator's
	 * worker, which keeps serving the connections already accepted.
	 */
	void stopAccepting() {
		Undertow server;
		synchronized (this.monitor) {
			server = (this.worker != null && this.undertow != null && this.worker.runs(this.undertow)) ? this.undertow
					: null;
		}
		if (server != null) {
			server.stop();
		}
		else {
			TrackingHandlerWrapper.keepAccepting();
		}
	}

	@Override
	public void destroy() {
		DrainableWorker toShutDown;
		synchronized (this.monitor) {
			toShutDown = this.worker;
			this.worker = null;
			this.undertow = null;
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

	/**
	 * Wire the acceptor of the drain to this lifecycle.
	 * @return the tracking wrapper for the deployment
	 */
	TrackingHandlerWrapper trackingWrapper() {
		return TrackingHandlerWrapper.trackWith(this.terminator, this::stopAccepting);
	}

}
