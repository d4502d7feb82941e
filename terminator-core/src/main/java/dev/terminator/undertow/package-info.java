/**
 * Undertow support of terminator: connection tracking for Undertow's HTTP/1.x
 * connections, under a servlet deployment or under Spring WebFlux (Spring Framework 6),
 * and the closing of the sessions of its Jakarta WebSocket endpoints when the drain
 * begins.
 */
@NullMarked
package dev.terminator.undertow;

import org.jspecify.annotations.NullMarked;
