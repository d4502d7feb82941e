package dev.terminator.autoconfigure;

import org.springframework.context.annotation.Configuration;

/**
 * Tracks the connections of embedded Jetty, when Jetty is the server in use.
 */
@Configuration(proxyBeanMethods = false)
class JettyTerminatorConfiguration {

}
