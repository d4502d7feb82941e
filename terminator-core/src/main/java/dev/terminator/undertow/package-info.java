/**
 * Undertow support of terminator: connection tracking for Undertow's HTTP/1.x connections.
 */
@NullMarked
package dev.terminator.undertow;

import org.jspecify.annotations.NullMarked;
