package dev.terminator.core;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * When each step of a termination happened, for the endpoint and for anyone reading why a
 * deploy took the time it took.
 *
 * @param lameDuck the lame-duck delay before the drain, {@code null} if there was none
 * @param drainStartedAt when the drain began (the listen sockets were closed)
 * @param lastIdleClosedAt when the drain last closed an idle connection, {@code null} if
 * it closed none
 * @param lastRequestCompletedAt when the last request of the drain completed,
 * {@code null} if none was in flight
 * @param cutAt when the connections still open at the deadline were cut, {@code null} if
 * none was
 * @param finishedAt when the last connection closed
 */
public record DrainTimeline(@Nullable LameDuck lameDuck, Instant drainStartedAt, @Nullable Instant lastIdleClosedAt,
		@Nullable Instant lastRequestCompletedAt, @Nullable Instant cutAt, Instant finishedAt) {

}
