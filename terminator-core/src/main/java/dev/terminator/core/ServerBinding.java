package dev.terminator.core;

/**
 * For server adapters: an adapter's binding to its {@link HttpTerminator}, handed to
 * {@link ServerAdapter#install(ServerBinding)}. It is the only way to add connections the
 * drain waits for and listen sockets the drain stops; applications never see it.
 */
public interface ServerBinding {

	/**
	 * Start tracking a newly accepted connection. It counts as idle until its first
	 * request.
	 * @param control how the drain closes it
	 * @return the tracked connection, to report activity and closing on
	 */
	TrackedConnection register(ConnectionControl control);

	/**
	 * Add a listen socket for the drain to stop as it begins.
	 * @param listenSocket what stops the listen socket accepting
	 */
	void addListenSocket(ListenSocket listenSocket);

	/**
	 * Be told of the steps of the termination, as
	 * {@link HttpTerminator#addListener(TerminationListener)}.
	 * @param listener the listener
	 */
	void addListener(TerminationListener listener);

	/**
	 * Once a drain has had to cut connections, let the server's stop skip its wait for
	 * request threads still busy (a handler that ignores interruption): after the drain
	 * none of them can still answer a client. A drain that cut nothing leaves the server
	 * as configured.
	 * @param threads the server's request threads
	 */
	void stopWithoutWaitingAfterCut(RequestThreads threads);

	/**
	 * Whether responses should ask clients to close their connections: from the start of
	 * the lame-duck delay on.
	 * @return {@code true} once a termination has begun
	 */
	boolean isClosingConnections();

}
