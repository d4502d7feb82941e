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
	NETTY,

	TOMCAT,

	JETTY;

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
