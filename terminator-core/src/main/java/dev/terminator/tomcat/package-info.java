/**
 * Tomcat support of terminator: connection tracking for Tomcat's NIO HTTP/1.1 connector,
 * and the closing of its WebSocket sessions when the drain begins.
 */
@NullMarked
package dev.terminator.tomcat;

import org.jspecify.annotations.NullMarked;
