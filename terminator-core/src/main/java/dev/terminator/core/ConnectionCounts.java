package dev.terminator.core;

/**
 * The numbers of the server's open connections, idle and active, as they are now: a live
 * view that applications, the actuator endpoint and the meters read. It changes nothing.
 */
public interface ConnectionCounts {

	/**
	 * The number of open connections.
	 * @return open connections
	 */
	int openCount();

	/**
	 * The number of connections with a request in flight.
	 * @return active connections
	 */
	int activeCount();

	/**
	 * The number of open connections with no request in flight.
	 * @return idle connections
	 */
	int idleCount();

}
