package dev.terminator.core;

/**
 * For server adapters: the container's side of one tracked connection, how the drain asks
 * the container to close it. Handed to {@link ServerBinding#register}.
 *
 * <p>
 * Implemented by each container adapter. Both methods may be called from any thread and
 * must not block on request processing.
 */
public interface ConnectionControl {

	/**
	 * Ask the container to close the connection on its own processing path, serialised
	 * with request parsing. There, the adapter calls
	 * {@link TrackedConnection#tryBeginIdleClose()} and closes the connection only if
	 * that returns {@code true}: a request that arrived in the meantime wins and is
	 * served.
	 */
	void closeIfIdle();

	/**
	 * Close the connection at once, whatever it is doing. Used when the drain timeout has
	 * passed.
	 */
	void forceClose();

}
