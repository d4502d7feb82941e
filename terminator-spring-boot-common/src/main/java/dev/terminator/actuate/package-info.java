/**
 * Actuator endpoint of terminator: the embedded web server's connections and its drain.
 */
@NullMarked
package dev.terminator.actuate;

import org.jspecify.annotations.NullMarked;
