package dev.terminator.autoconfigure;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.terminator.context.DrainEndsAsync;
import dev.terminator.core.DrainProgress;
import dev.terminator.core.DrainResult;
import dev.terminator.core.TerminationListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.async.AsyncRequestTimeoutException;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.context.request.async.DeferredResultProcessingInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.AsyncSupportConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Ends the Spring MVC async requests that cannot end by themselves and that the
 * application left open, a set time into the drain, through Spring MVC's own async
 * timeout path: each {@link DeferredResult} still in progress gets an
 * {@link AsyncRequestTimeoutException} as its result. A committed response, such as an
 * event stream, then ends cleanly after its last complete event; an uncommitted one, such
 * as a long poll, gets Spring MVC's 503. Either way the connection closes without waiting
 * for the drain's timeout.
 *
 * <p>
 * Spring MVC runs streams ({@code SseEmitter}, {@code ResponseBodyEmitter}, streaming
 * reactive types), long polls and single-value results ({@code CompletableFuture},
 * {@code Mono}) alike on a {@code DeferredResult}: only the first two are ended, told by
 * the handler's declared return type or its {@link DrainEndsAsync} annotation
 * ({@link AsyncHandlerEnding}). A single-value result awaits a backend and finishes
 * within the drain's timeout as any request; ending it would answer a request in flight
 * with a 503.
 *
 * <p>
 * Nothing is ended before {@code endAfter}, so that the application, told at the start of
 * the drain, ends its own first; from then on, an async request of that kind that starts
 * is ended at once. Nothing at all is ended if {@code endAfter} is not shorter than the
 * drain's timeout. A {@code Callable}, a {@code WebAsyncTask}, a
 * {@code StreamingResponseBody} or the servlet API's own async processing cannot be ended
 * from outside: the drain cuts those at its timeout, as any request.
 *
 * <p>
 * Added to the terminator like every {@link TerminationListener} bean.
 */
class AsyncRequestTermination
		implements WebMvcConfigurer, DeferredResultProcessingInterceptor, TerminationListener, DisposableBean {

	private static final Log logger = LogFactory.getLog(AsyncRequestTermination.class);

	private final Duration endAfter;

	private final AsyncHandlerEnding handlerEnding = new AsyncHandlerEnding(
			ReactiveAdapterRegistry.getSharedInstance());

	private final Set<DeferredResult<?>> inProgress = ConcurrentHashMap.newKeySet();

	private final Object schedulerLock = new Object();

	private @Nullable ScheduledThreadPoolExecutor scheduler;

	private volatile boolean ending;

	/**
	 * Create an instance.
	 * @param endAfter how long into the drain the application's async requests get before
	 * they are ended
	 */
	AsyncRequestTermination(Duration endAfter) {
		this.endAfter = endAfter;
	}

	@Override
	public void configureAsyncSupport(AsyncSupportConfigurer configurer) {
		configurer.registerDeferredResultInterceptors(this);
	}

	// Not beforeConcurrentHandling: Spring MVC calls afterCompletion only on the
	// interceptors it ran preProcess on.
	@Override
	public <T> void preProcess(NativeWebRequest request, DeferredResult<T> deferredResult) {
		Object handler = request.getAttribute(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE,
				RequestAttributes.SCOPE_REQUEST);
		if (!this.handlerEnding.endsOnDrain(handler)) {
			return;
		}
		this.inProgress.add(deferredResult);
		// A request that starts once the others were ended (on a connection the drain has
		// not closed yet) would otherwise hold the drain until its timeout.
		if (this.ending) {
			end(deferredResult);
		}
	}

	// A result is set: nothing left to end, though afterCompletion comes only once the
	// response is written.
	@Override
	public <T> void postProcess(NativeWebRequest request, DeferredResult<T> deferredResult, @Nullable Object result) {
		this.inProgress.remove(deferredResult);
	}

	@Override
	public <T> void afterCompletion(NativeWebRequest request, DeferredResult<T> deferredResult) {
		this.inProgress.remove(deferredResult);
	}

	/**
	 * The async requests in progress now that the drain would end.
	 * @return how many
	 */
	int inProgress() {
		return this.inProgress.size();
	}

	@Override
	public void drainStarted(DrainProgress progress) {
		Duration timeout = Duration.between(progress.startedAt(), progress.deadline());
		if (this.endAfter.compareTo(timeout) >= 0) {
			return;
		}
		synchronized (this.schedulerLock) {
			if (this.scheduler == null) {
				// A thread of its own, not the drain's: ending a request dispatches it to
				// the container.
				ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (task) -> {
					Thread thread = new Thread(task, "terminator-async-end");
					thread.setDaemon(true);
					return thread;
				});
				executor.schedule(this::endInProgress, this.endAfter.toNanos(), TimeUnit.NANOSECONDS);
				// The one task still runs; the thread ends after it.
				executor.shutdown();
				this.scheduler = executor;
			}
		}
	}

	@Override
	public void drainFinished(DrainResult result) {
		cancel();
	}

	@Override
	public void destroy() {
		cancel();
	}

	private void cancel() {
		synchronized (this.schedulerLock) {
			if (this.scheduler != null) {
				this.scheduler.shutdownNow();
			}
		}
	}

	/**
	 * End every async request still in progress through Spring MVC's timeout path.
	 * @return how many were ended; those that completed meanwhile are left alone
	 */
	int endInProgress() {
		this.ending = true;
		int ended = 0;
		for (DeferredResult<?> deferredResult : this.inProgress) {
			if (end(deferredResult)) {
				ended++;
			}
		}
		if (ended > 0) {
			logger.info("Ended " + ended + " async request(s) left open " + this.endAfter.toMillis()
					+ " ms into the drain, through Spring MVC's async timeout");
		}
		return ended;
	}

	private static boolean end(DeferredResult<?> deferredResult) {
		try {
			// False if the result was set or expired meanwhile: what has completed is
			// left alone.
			return deferredResult.setErrorResult(new AsyncRequestTimeoutException());
		}
		catch (RuntimeException ex) {
			// The request went away under us (its client closed it, say): nothing left to
			// end.
			logger.debug("Could not end an async request", ex);
			return false;
		}
	}

}
