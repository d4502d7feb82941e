package dev.terminator.jetty;

import dev.terminator.core.DrainResult;
import dev.terminator.core.TerminationListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Once a drain has had to cut connections, lets Jetty's stop skip its wait for request
 * threads.
 *
 * <p>
 * A handler that ignores interruption keeps running on its pool thread after its
 * connection is cut. When the server stops, its {@link QueuedThreadPool} waits up to its
 * stop timeout (5 s by default) for busy threads, half of it before interrupting them.
 * That wait exists so that requests in flight can finish; after the drain none is left
 * that could still answer a client, so the pool's stop timeout is set to zero, through
 * its public setter, and the pool stops without joining its threads. A drain that cut
 * nothing leaves it as configured: no thread is busy then, and the wait costs nothing.
 */
final class JettyStopAfterCut implements TerminationListener {

	private static final Log logger = LogFactory.getLog(JettyStopAfterCut.class);

	private final Server server;

	JettyStopAfterCut(Server server) {
		this.server = server;
	}

	@Override
	public void drainFinished(DrainResult result) {
		if (result.forced() == 0 || !(this.server.getThreadPool() instanceof QueuedThreadPool pool)) {
			return;
		}
		pool.setStopTimeout(0);
		int busy = pool.getBusyThreads();
		if (busy > 0) {
			logger.info(busy + " Jetty thread(s) still busy after the drain cut their connections (a handler that"
					+ " ignores interruption, or Jetty's own): the server stops without waiting for them");
		}
	}

}
