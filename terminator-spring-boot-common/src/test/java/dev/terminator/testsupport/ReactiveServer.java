package dev.terminator.testsupport;

import java.util.stream.Stream;

/**
 * The embedded servers a WebFlux application runs on. Which of them the Spring Boot line
 * under test offers, and how it starts one, is {@link SpringBootLine}'s.
 */
public enum ReactiveServer {

	/**
	 * Reactor Netty, WebFlux's default server.
	 */
	NETTY(true, true),

	TOMCAT(true, true),

	JETTY(true, true),

	/**
	 * Undertow 2.3, on Spring Boot 3.5 only: no public API to send an HTTP/2 connection
	 * GOAWAY, and Spring's Undertow upgrade lists its WebSocket sessions nowhere.
	 */
	UNDERTOW(false, false);

	private final boolean closesHttp2ConnectionsWithGoAway;

	private final boolean closesWebSocketsOnDrain;

	ReactiveServer(boolean closesHttp2ConnectionsWithGoAway, boolean closesWebSocketsOnDrain) {
		this.closesHttp2ConnectionsWithGoAway = closesHttp2ConnectionsWithGoAway;
		this.closesWebSocketsOnDrain = closesWebSocketsOnDrain;
	}

	/**
	 * Whether the drain sends each HTTP/2 connection a GOAWAY when it begins.
	 * @return {@code false} if HTTP/2 connections are left to the web server's stop
	 */
	public boolean closesHttp2ConnectionsWithGoAway() {
		return this.closesHttp2ConnectionsWithGoAway;
	}

	/**
	 * Whether the drain closes WebFlux WebSocket sessions with 1001 when it begins.
	 * @return {@code false} if they are cut at the drain's timeout
	 */
	public boolean closesWebSocketsOnDrain() {
		return this.closesWebSocketsOnDrain;
	}

	/**
	 * The reactive servers of the Spring Boot line under test whose drain the end-to-end
	 * tests check.
	 * @return the servers
	 */
	public static Stream<ReactiveServer> supported() {
		return SpringBootLine.REACTIVE_SERVERS.stream();
	}

	@Override
	public String toString() {
		return name().toLowerCase();
	}

}
