package dev.terminator.jetty;

import org.eclipse.jetty.io.Connection;

/**
 * How the drain treats a socket it found idle, given the connection that parses its
 * requests. The defaults are those of HTTP/1.x; {@link Http2GoAway} overrides them for
 * HTTP/2 connections.
 */
interface IdleSocketCloser {

	/**
	 * A count that grows when a request begins to arrive, before the handler sees it: the
	 * drain compares it with its value when the socket became idle, and serves rather
	 * than closes a socket on which it grew.
	 * @param connection the socket's request connection
	 * @return the bytes read: part of a request, or a whole one not yet handed to the
	 * handler
	 */
	default long requestProgress(Connection connection) {
		return connection.getBytesIn();
	}

	/**
	 * Close the idle socket through its request connection: Jetty's own close path (TLS
	 * sends close_notify).
	 * @param connection the socket's request connection
	 */
	default void close(Connection connection) {
		connection.close();
	}

}
