package dev.terminator.core;

import java.time.Instant;

/**
 * A drain so far: how many connections it has closed, for each reason, up to now. Once
 * the drain has finished the counts are final, and its {@link DrainResult} adds how long
 * it took and how it ended.
 *
 * @param startedAt when the drain began (the listen socket was closed)
 * @param deadline when connections still open are cut
 * @param acceptQueue the connections the drain took from the accept queue as it closed
 * the listen sockets
 * @param idleClosed connections closed so far because they were idle
 * @param completed connections closed so far after their requests completed
 * @param forced connections cut so far at the deadline
 */
public record DrainProgress(Instant startedAt, Instant deadline, QueuedConnections acceptQueue, int idleClosed,
		int completed, int forced) {

}
