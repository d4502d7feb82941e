/**
 * Undertow support of terminator: connection tracking for Undertow's HTTP/1.x
 * connections, and the closing of the sessions of its Jakarta WebSocket endpoints when
 * the drain begins.
 */
@NullMarked
package dev.terminator.undertow;

import org.jspecify.annotations.NullMarked;
