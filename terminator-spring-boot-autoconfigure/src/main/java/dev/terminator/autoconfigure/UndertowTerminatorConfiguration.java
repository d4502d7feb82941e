package dev.terminator.autoconfigure;

import org.springframework.context.annotation.Configuration;

/**
 * Tracks the connections of embedded Undertow, when Undertow is the server in use.
 */
@Configuration(proxyBeanMethods = false)
class UndertowTerminatorConfiguration {

}
