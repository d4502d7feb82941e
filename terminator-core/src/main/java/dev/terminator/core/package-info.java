/**
 * Drain engine of terminator: the connections of an HTTP server, their termination and
 * its result.
 */
@NullMarked
package dev.terminator.core;

import org.jspecify.annotations.NullMarked;
