package dev.terminator.netty;

import reactor.netty.http.server.HttpServer;

import dev.terminator.core.HttpTerminator;

/**
 * Connects a Reactor Netty {@link HttpServer} to a {@link HttpTerminator}.
 */
public final class NettyAdapter {

	private NettyAdapter() {
	}

	/**
	 * Hook the terminator into a Reactor Netty server, before it binds. Spring Boot's
	 * glue calls this from a {@code NettyServerCustomizer}.
	 * @param terminator the terminator that drains the server
	 * @param server the server, not bound yet
	 * @return the server with terminator's hooks added
	 */
	public static HttpServer install(HttpTerminator terminator, HttpServer server) {
		// Filled in by the Reactor Netty adapter work (issue 19).
		return server;
	}

}
