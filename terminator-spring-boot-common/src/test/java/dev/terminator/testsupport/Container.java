package dev.terminator.testsupport;

import java.util.stream.Stream;

/**
 * The embedded containers terminator supports, with what each one's public API lets the
 * drain do. Which of them the Spring Boot line under test offers, and how it starts one,
 * is {@link SpringBootLine}'s.
 */
public enum Container {

	TOMCAT(true, true),

	JETTY(true, true),

	/**
	 * Undertow 2.3, on Spring Boot 3.5 only. It reports a connection only from its first
	 * request on. It closes its listen socket alone only when it runs on a worker it was
	 * given, terminator's unless the application sets its own.
	 */
	UNDERTOW(true, false);

	private final boolean refusesNewConnectionsWhileDraining;

	private final boolean tracksConnectionsBeforeTheirFirstRequest;

	Container(boolean refusesNewConnectionsWhileDraining, boolean tracksConnectionsBeforeTheirFirstRequest) {
		this.refusesNewConnectionsWhileDraining = refusesNewConnectionsWhileDraining;
		this.tracksConnectionsBeforeTheirFirstRequest = tracksConnectionsBeforeTheirFirstRequest;
	}

	/**
	 * The containers of the Spring Boot line under test: what every parameterized test
	 * runs on.
	 * @return the containers
	 */
	public static Stream<Container> supported() {
		return SpringBootLine.CONTAINERS.stream();
	}

	/**
	 * Whether the drain closes the listen socket, so that new connections are refused.
	 * @return {@code false} if the server keeps accepting while it drains
	 */
	public boolean refusesNewConnectionsWhileDraining() {
		return this.refusesNewConnectionsWhileDraining;
	}

	/**
	 * Whether the drain sees a connection as soon as it is accepted, before its first
	 * request.
	 * @return {@code false} if a connection that never sent a request is invisible to the
	 * drain
	 */
	public boolean tracksConnectionsBeforeTheirFirstRequest() {
		return this.tracksConnectionsBeforeTheirFirstRequest;
	}

	/**
	 * Whether the drain sends each HTTP/2 connection a GOAWAY when it begins, and closes
	 * it, with a final GOAWAY, once its streams have ended. Undertow 2.3 has no public
	 * API to reach or close an HTTP/2 connection: the drain waits for its streams, and
	 * the web server's stop closes it without GOAWAY.
	 * @return {@code false} if HTTP/2 connections are left to the web server's stop
	 */
	public boolean closesHttp2ConnectionsWithGoAway() {
		return this != UNDERTOW;
	}

}
