package dev.terminator.server;

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

}
