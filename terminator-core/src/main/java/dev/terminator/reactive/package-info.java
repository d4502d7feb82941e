/**
 * Spring WebFlux support of terminator, for every server WebFlux runs on: the decorator
 * that asks HTTP/1.x clients to close their connections on shutdown, the end of streaming
 * responses at the drain, and the drain's start as a {@code Mono} for the application's
 * own streams.
 */
@NullMarked
package dev.terminator.reactive;

import org.jspecify.annotations.NullMarked;
