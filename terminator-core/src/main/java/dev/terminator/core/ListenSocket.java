package dev.terminator.core;

/**
 * For server adapters: one listen socket of the server, as the drain sees it, something
 * that can stop taking new connections without touching the ones already open. An adapter
 * hands each of its listen sockets to {@link ServerBinding#addListenSocket}; the drain,
 * as it begins, stops them all, and nothing else closes them.
 */
@FunctionalInterface
public interface ListenSocket {

	/**
	 * Stop accepting new connections (close the listen socket). Connections already
	 * accepted stay open.
	 * @throws Exception if the listen socket could not be closed
	 */
	void stopAccepting() throws Exception;

}
