package dev.terminator.jetty;

import java.nio.channels.Selector;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SelectorManager;
import org.jspecify.annotations.Nullable;

/**
 * Closes the sockets the drain found idle in batches, on one of Jetty's selector threads.
 *
 * <p>
 * Closing a socket from any other thread makes Jetty hand its endpoint's destruction to
 * the socket's selector, and wake that selector up for it: at the drain's start, with
 * thousands of idle sockets, that is one selector wake-up and two thread switches per
 * socket, which made Jetty's drain of 10,000 idle connections take four times as long as
 * closing the sockets. Closed from a selector thread, the destructions queue up without
 * wake-ups and the selector runs them in one pass.
 */
final class IdleCloseBatch {

	private static final Log logger = LogFactory.getLog(IdleCloseBatch.class);

	private final Queue<Runnable> closes = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean submitted = new AtomicBoolean();

	private final Consumer<ManagedSelector.SelectorUpdate> selector;

	private IdleCloseBatch(Consumer<ManagedSelector.SelectorUpdate> selector) {
		this.selector = selector;
	}

	/**
	 * A batch that runs on the first selector of a connector's selector manager, if it
	 * has one when the drain begins.
	 * @param selectorManager the connector's selector manager
	 * @return the batch
	 */
	static IdleCloseBatch on(SelectorManager selectorManager) {
		return new IdleCloseBatch((update) -> {
			ManagedSelector managedSelector = firstSelector(selectorManager);
			if (managedSelector == null) {
				throw new RejectedExecutionException("no selector");
			}
			managedSelector.submit(update);
		});
	}

	private static @Nullable ManagedSelector firstSelector(SelectorManager selectorManager) {
		for (ManagedSelector managedSelector : selectorManager.getBeans(ManagedSelector.class)) {
			if (managedSelector.isRunning()) {
				return managedSelector;
			}
		}
		return null;
	}

	/**
	 * Close a socket with the next batch.
	 * @param close what closes it
	 */
	void close(Runnable close) {
		this.closes.add(close);
		if (this.submitted.compareAndSet(false, true)) {
			try {
				this.selector.accept(this::run);
			}
			catch (RuntimeException ex) {
				// The selector is stopping (or gone): close here, as Jetty's own stop
				// would.
				this.submitted.set(false);
				run(null);
			}
		}
	}

	private void run(@Nullable Selector selector) {
		// Cleared before the queue is read: a close added after the loop below has seen
		// the queue empty submits a new batch.
		this.submitted.set(false);
		Runnable close;
		while ((close = this.closes.poll()) != null) {
			try {
				close.run();
			}
			catch (RuntimeException ex) {
				// One socket that fails to close must not keep the others open, nor stop
				// the selector.
				logger.debug("Could not close an idle socket", ex);
			}
		}
	}

}
