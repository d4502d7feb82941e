/**
 * The Reactor Netty adapter: tracks the connections of a Reactor Netty {@code HttpServer}
 * for the drain, through Reactor Netty's public API.
 */
@NullMarked
package dev.terminator.netty;

import org.jspecify.annotations.NullMarked;
