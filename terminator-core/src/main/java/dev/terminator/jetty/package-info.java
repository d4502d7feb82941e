/**
 * Jetty support of terminator: socket and request tracking for a Jetty 12 server.
 */
@NullMarked
package dev.terminator.jetty;

import org.jspecify.annotations.NullMarked;
