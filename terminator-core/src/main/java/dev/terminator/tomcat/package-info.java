/**
 * Tomcat support of terminator: connection tracking for Tomcat's NIO HTTP/1.1 connector.
 */
@NullMarked
package dev.terminator.tomcat;

import org.jspecify.annotations.NullMarked;
