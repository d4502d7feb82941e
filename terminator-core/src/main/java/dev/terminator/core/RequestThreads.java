package dev.terminator.core;

/**
 * For server adapters: the threads a server runs requests on, as the stop-after-cut
 * policy needs them (see {@link ServerBinding#stopWithoutWaitingAfterCut}).
 */
public interface RequestThreads {

	/**
	 * Let the server's stop skip its wait for request threads still busy, through a
	 * public setter of the server (its thread pool's stop timeout, say).
	 */
	void stopWithoutWaiting();

	/**
	 * How many request threads are busy now.
	 * @return busy threads
	 */
	int busyCount();

}
