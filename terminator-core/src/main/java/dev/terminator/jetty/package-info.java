/**
 * Jetty support of terminator: socket and request tracking for a Jetty 12 server, and the
 * closing of its WebSocket sessions when the drain begins.
 */
@NullMarked
package dev.terminator.jetty;

import org.jspecify.annotations.NullMarked;
