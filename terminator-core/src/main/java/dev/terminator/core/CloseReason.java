package dev.terminator.core;

/**
 * Why a connection closed while the server was draining.
 */
public enum CloseReason {

	/**
	 * Closed by the drain because it was idle: no request in flight and none arriving
	 * within the quiet period.
	 */
	IDLE,

	/**
	 * Closed after its last request completed (with {@code Connection: close}), or by the
	 * client.
	 */
	COMPLETED,

	/**
	 * Cut because it was still open when the drain timeout passed.
	 */
	FORCED

}
