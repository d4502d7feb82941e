package dev.terminator.core;

/**
 * Where the server is in its termination.
 */
public enum TerminatorState {

	/**
	 * Serving normally.
	 */
	RUNNING,

	/**
	 * Lame duck: still accepting and serving, but every HTTP/1.x response asks the client
	 * to close the connection.
	 */
	DELAYING,

	/**
	 * The listen socket is closed; idle connections are being closed and requests in
	 * flight finished.
	 */
	DRAINING,

	/**
	 * Every connection is closed.
	 */
	TERMINATED

}
