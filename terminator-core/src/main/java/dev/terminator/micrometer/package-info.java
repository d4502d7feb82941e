/**
 * Micrometer support of terminator: metrics of the web server's connections and of its
 * drain, and each termination as an {@code Observation}.
 */
@NullMarked
package dev.terminator.micrometer;

import org.jspecify.annotations.NullMarked;
