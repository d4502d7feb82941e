package dev.terminator.tomcat;

import dev.terminator.core.DrainResult;
import dev.terminator.core.TerminationListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.tomcat.util.net.AbstractEndpoint;

/**
 * Once a drain has had to cut connections, lets Tomcat's stop skip its wait for request
 * threads.
 *
 * <p>
 * A handler that ignores interruption keeps running on its worker thread after its
 * connection is cut. Tomcat's stop would wait for it up to the endpoint's executor
 * termination timeout (5 s by default). The wait exists so that requests in flight can
 * finish; after the drain none is left that could still answer a client, so it is set to
 * zero, through the endpoint's public setter. (The other wait, for the servlet such a
 * handler is in, is the context's unload delay: see
 * {@link TomcatConnectorTracking#releaseServletsOnStop}.) A drain that cut nothing leaves
 * the timeout as configured: no worker is busy then, and it costs nothing.
 */
final class TomcatStopAfterCut implements TerminationListener {

	private static final Log logger = LogFactory.getLog(TomcatStopAfterCut.class);

	private final AbstractEndpoint<?, ?> endpoint;

	TomcatStopAfterCut(AbstractEndpoint<?, ?> endpoint) {
		this.endpoint = endpoint;
	}

	@Override
	public void drainFinished(DrainResult result) {
		if (result.forced() == 0) {
			return;
		}
		this.endpoint.setExecutorTerminationTimeoutMillis(0);
		int busy = this.endpoint.getCurrentThreadsBusy();
		if (busy > 0) {
			logger.info(busy + " Tomcat request thread(s) still busy after their connection was cut (a handler that"
					+ " ignores interruption): the server stops without waiting for them");
		}
	}

}
