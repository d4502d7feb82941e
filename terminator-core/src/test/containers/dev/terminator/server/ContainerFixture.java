package dev.terminator.server;

import java.util.stream.IntStream;

/**
 * One embedded container, started bare with terminator installed, and what its public API
 * lets the drain do.
 */
public interface ContainerFixture {

	String name();

	BareServer start(ServerOptions options) throws Exception;

	/**
	 * Whether the drain closes the listen socket, so that new connections are refused.
	 * @return {@code false} if the server keeps accepting while it drains
	 */
	default boolean refusesNewConnectionsWhileDraining() {
		return true;
	}

	/**
	 * Whether the drain sees a connection as soon as it is accepted, before its first
	 * request. Undertow 2.3 reports a connection only from its first request on.
	 * @return {@code false} if a connection that never sent a request is invisible to the
	 * drain
	 */
	default boolean tracksConnectionsBeforeTheirFirstRequest() {
		return true;
	}

	/**
	 * Whether the drain sends each HTTP/2 connection a GOAWAY when it begins, and closes
	 * it, with a final GOAWAY, once its streams have ended. Undertow 2.3 has no public
	 * API to reach or close an HTTP/2 connection.
	 * @return {@code false} if HTTP/2 connections are left to the container's stop
	 */
	default boolean closesHttp2ConnectionsWithGoAway() {
		return true;
	}

	/**
	 * Whether the drain takes the connections waiting in the listen socket's accept queue
	 * and serves them before it closes the socket. Undertow 2.3 accepts on a private XNIO
	 * thread into private queues: the kernel resets those still queued.
	 * @return {@code false} if the drain cannot reach the accept queue
	 */
	default boolean drainsAcceptQueue() {
		return true;
	}

	/**
	 * The {@link ServerOptions#acceptors() acceptor settings} whose ways of accepting
	 * differ: Jetty's acceptor threads (1) and its selector (0).
	 * @return the settings to test the accept queue with
	 */
	default IntStream acceptorSettings() {
		return IntStream.of(-1);
	}

}
