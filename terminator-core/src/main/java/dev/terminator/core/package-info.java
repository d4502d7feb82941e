/**
 * Drain engine of terminator: the connections of an HTTP server, their termination and
 * its result.
 *
 * <p>
 * Applications use {@link dev.terminator.core.HttpTerminator} (its state, its
 * {@link dev.terminator.core.ConnectionCounts connection counts}, the drain's progress
 * and result, and the two ways to start it) and
 * {@link dev.terminator.core.TerminationListener}. Server adapters use the types
 * documented as "for server adapters": {@link dev.terminator.core.ServerAdapter},
 * installed with {@link dev.terminator.core.HttpTerminator#install}, which gets its own
 * {@link dev.terminator.core.ServerBinding}, and what that binding takes and returns.
 */
@NullMarked
package dev.terminator.core;

import org.jspecify.annotations.NullMarked;
