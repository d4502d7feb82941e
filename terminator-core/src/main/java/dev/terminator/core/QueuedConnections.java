package dev.terminator.core;

/**
 * What a listen socket did, as it stopped accepting, with the connections waiting in its
 * accept queue: connections whose handshake the kernel had completed but that the server
 * had not yet accepted. Closing a listen socket resets every one of them, after their
 * clients' {@code connect()} succeeded and, usually, after they sent their request. A
 * listen socket that can drains the queue first: it takes each queued connection and
 * hands it to the server, which serves it with {@code Connection: close}.
 *
 * @param served the connections taken from the accept queue and handed to the server
 * @param drained whether the queue was drained; {@code false} where the server offers no
 * way to, in which case connections still queued were reset by the kernel, uncounted
 */
public record QueuedConnections(int served, boolean drained) {

	private static final QueuedConnections NOT_DRAINED = new QueuedConnections(0, false);

	/**
	 * The accept queue was drained.
	 * @param served the connections taken from it and handed to the server
	 * @return the queued connections
	 */
	public static QueuedConnections served(int served) {
		return new QueuedConnections(served, true);
	}

	/**
	 * The accept queue could not be drained: the server gives no access to it.
	 * @return the queued connections
	 */
	public static QueuedConnections notDrained() {
		return NOT_DRAINED;
	}

	/**
	 * Both together, as for a server with two listen sockets.
	 * @param other the other listen socket's queued connections
	 * @return the sum, drained only if both were
	 */
	public QueuedConnections plus(QueuedConnections other) {
		return new QueuedConnections(this.served + other.served, this.drained && other.drained);
	}

}
