package dev.terminator.core;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Once a drain has had to cut connections, lets the server's stop skip its wait for
 * request threads.
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
		// The wait (5 s by default on Tomcat's executor and Jetty's pool) is for requests
		// in flight; after a cut none is left that could still answer a client. A drain
		// that cut nothing leaves the server as configured: no thread is busy, the wait
		// is free.
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
