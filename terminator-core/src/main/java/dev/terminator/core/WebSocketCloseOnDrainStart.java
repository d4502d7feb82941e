package dev.terminator.core;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Runs a {@link WebSocketCloser} when the drain begins, on a daemon thread of its own:
 * the drain's thread drives every step of the termination and must not block on a slow
 * client.
 */
final class WebSocketCloseOnDrainStart implements TerminationListener {

	private static final Log logger = LogFactory.getLog(WebSocketCloseOnDrainStart.class);

	private final String serverName;

	private final WebSocketCloser closer;

	WebSocketCloseOnDrainStart(String serverName, WebSocketCloser closer) {
		this.serverName = serverName;
		this.closer = closer;
	}

	@Override
	public void drainStarted(DrainProgress progress) {
		Thread thread = new Thread(this::closeSessions, "terminator-websocket-close");
		thread.setDaemon(true);
		thread.start();
	}

	private void closeSessions() {
		try {
			this.closer.closeSessions();
		}
		catch (Exception ex) {
			logger.warn("Could not close the WebSocket sessions of " + this.serverName, ex);
		}
	}

	@Override
	public String toString() {
		return "WebSocketCloseOnDrainStart[" + this.closer + "]";
	}

}
