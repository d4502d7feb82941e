package dev.terminator.core;

/**
 * For server adapters: closes the WebSocket sessions of a web application with 1001
 * (Going Away). A close may block (it sends a frame, and runs the endpoint's callbacks),
 * so a closer is not a {@link TerminationListener} itself: {@link #onDrainStart} makes it
 * one that calls it on a thread of its own when the drain begins, never on the drain's.
 */
@FunctionalInterface
public interface WebSocketCloser {

	/**
	 * Close every open WebSocket session. Called once, when the drain begins.
	 * @throws Exception if the sessions could not be closed; logged
	 */
	void closeSessions() throws Exception;

	/**
	 * A listener that closes the sessions when the drain begins, on a thread of its own.
	 * @param serverName the server's name, for the log line of a failure
	 * @param closer the closer
	 * @return the listener to add to the terminator
	 */
	static TerminationListener onDrainStart(String serverName, WebSocketCloser closer) {
		return new WebSocketCloseOnDrainStart(serverName, closer);
	}

}
