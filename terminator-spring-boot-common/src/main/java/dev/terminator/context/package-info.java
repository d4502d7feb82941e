/**
 * Application events of terminator: published when a termination's lame-duck delay and
 * its drain begin, so that the application can act, such as completing its server-sent
 * event streams and long polls; and {@link dev.terminator.context.DrainEndsAsync}, by
 * which a Spring MVC handler says whether the drain ends its async requests.
 */
@NullMarked
package dev.terminator.context;

import org.jspecify.annotations.NullMarked;
