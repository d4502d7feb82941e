package dev.terminator.core;

/**
 * For server adapters: one listen socket of the server, as the drain sees it, something
 * that can stop taking new connections without touching the ones already open. An adapter
 * hands each of its listen sockets to {@link ServerBinding#addListenSocket}; the drain,
 * as it begins, stops them all, and nothing else closes them.
 *
 * <p>
 * Stopping to accept is three steps, in this order, and the second is the one a listen
 * socket must not skip: the kernel resets every connection still in the accept queue when
 * the socket closes.
 * <ol>
 * <li>Stop the server's acceptors (the threads or selector that call {@code accept()}),
 * with the listen socket left open. The kernel keeps queueing new connections.</li>
 * <li>Take every connection in the accept queue, in non-blocking mode until
 * {@code accept()} returns none, and hand each to the server as its acceptor would have:
 * it is tracked like any other and, the drain having begun, served with
 * {@code Connection: close}. {@link AcceptQueue#drainThenClose} is that loop.</li>
 * <li>Close the listen socket at once: only connections whose handshake completed in
 * between are lost, a window of microseconds.</li>
 * </ol>
 * A server that gives no access to its accept queue closes the socket and says so with
 * {@link QueuedConnections#notDrained()}.
 */
@FunctionalInterface
public interface ListenSocket {

	/**
	 * Stop accepting new connections: stop the acceptors, hand the connections queued in
	 * the kernel to the server, close the listen socket. Connections already accepted
	 * stay open.
	 * @return what became of the connections in the accept queue
	 * @throws Exception if the listen socket could not be closed
	 */
	QueuedConnections stopAccepting() throws Exception;

}
