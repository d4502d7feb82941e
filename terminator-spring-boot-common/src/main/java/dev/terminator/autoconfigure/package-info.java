/**
 * Auto-configuration of terminator: drains the connections of Spring Boot's embedded web
 * server on shutdown.
 */
@NullMarked
package dev.terminator.autoconfigure;

import org.jspecify.annotations.NullMarked;
