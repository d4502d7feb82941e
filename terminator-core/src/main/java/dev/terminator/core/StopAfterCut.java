package dev.terminator.core;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Once a drain has had to cut connections, lets the server's stop skip its wait for
 * request threads.
 *
 * <p>
 * A handler that ignores interruption keeps running on its thread after its connection is
 * cut. The server's stop would wait for it (Tomcat up to its endpoint's executor
 * termination timeout, Jetty up to its thread pool's stop timeout: 5 s each by default).
 * The wait exists so that requests in flight can finish; after the drain none is left
 * that could still answer a client, so it is skipped. A drain that cut nothing leaves the
 * server as configured: no thread is busy then, and the wait costs nothing.
 */
final class StopAfterCut implements TerminationListener {

	private static final Log logger = LogFactory.getLog(StopAfterCut.class);

	private final String serverName;

	private final RequestThreads threads;

	StopAfterCut(String serverName, RequestThreads threads) {
		this.serverName = serverName;
		this.threads = threads;
	}

	@Override
	public void drainFinished(DrainResult result) {
		if (result.forced() == 0) {
			return;
		}
		this.threads.stopWithoutWaiting();
		int busy = this.threads.busyCount();
		if (busy > 0) {
			logger.info(busy + " " + this.serverName + " request thread(s) still busy after the drain cut their"
					+ " connections (a handler that ignores interruption): the server stops without waiting for them");
		}
	}

}
