package dev.terminator.core;

import java.util.List;

/**
 * For server adapters: what connects one embedded server (or one connector of it) to a
 * {@link HttpTerminator}. Each container package has one, such as
 * {@code dev.terminator.tomcat.TomcatAdapter}; a new server is one more package with one
 * more. {@link HttpTerminator#install(ServerAdapter)} hands it a {@link ServerBinding}
 * once, before the server starts, and the adapter registers through that binding alone.
 */
public interface ServerAdapter {

	/**
	 * The server's name, for log lines and the endpoint.
	 * @return such as {@code tomcat}
	 */
	String serverName();

	/**
	 * Hook the server into the terminator: register its listen sockets with the binding,
	 * and register each connection it accepts from then on.
	 * @param binding the adapter's binding to the terminator
	 * @return the connectors whose connections cannot be tracked (their listen sockets
	 * are still stopped on drain), for the caller to tell the user; empty when every
	 * connection is tracked
	 */
	List<UntrackedConnector> install(ServerBinding binding);

}
