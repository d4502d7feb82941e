package dev.terminator.core;

/**
 * One listen socket of the server, as seen by the drain: something that can stop taking
 * new connections without touching the ones already open.
 */
@FunctionalInterface
public interface Acceptor {

	/**
	 * Stop accepting new connections (close the listen socket). Connections already
	 * accepted stay open.
	 * @throws Exception if the listen socket could not be closed
	 */
	void stopAccepting() throws Exception;

}
