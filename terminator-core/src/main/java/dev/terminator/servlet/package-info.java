/**
 * Servlet support of terminator: the filter that asks HTTP/1.x clients to close their
 * connections on shutdown.
 */
@NullMarked
package dev.terminator.servlet;

import org.jspecify.annotations.NullMarked;
