package dev.terminator.autoconfigure;

import dev.terminator.core.HttpTerminator;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.server.Server;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Hooks the terminator into the embedded server of a reactive application: Reactor Netty,
 * Tomcat and Jetty here, on both Boot lines; each line's {@link ReactiveServerFactories}
 * names its factories and adds what only that line has (Undertow on Boot 3.5). The
 * servlet containers' connector-level adapters are those of the servlet stack; only the
 * factories differ, and the WebSocket closers find the servlet context through the
 * factory rather than a servlet initializer, which reactive factories do not run.
 */
@Configuration(proxyBeanMethods = false)
@Import(ReactiveServerFactories.class)
class ReactiveServerTrackingConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "reactor.netty.http.server.HttpServer", ReactiveServerFactories.NETTY })
	static class NettyTracking {

		@Bean
		WebServerFactoryCustomizer<?> terminatorNettyCustomizer(HttpTerminator terminator,
				TerminatorProperties properties) {
			return ReactiveServerFactories.netty(terminator, properties.getWebsocket().isCloseOnDrain());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(value = Tomcat.class, name = ReactiveServerFactories.TOMCAT)
	static class TomcatTracking {

		@Bean
		WebServerFactoryCustomizer<?> terminatorReactiveTomcatCustomizer(HttpTerminator terminator,
				UntrackedConnectors untracked, TerminatorProperties properties) {
			return ReactiveServerFactories.tomcat(new TomcatConnectorInstaller(terminator, untracked),
					ReactiveWebSocketClosers.tomcat(terminator, properties));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(value = Server.class, name = ReactiveServerFactories.JETTY)
	static class JettyTracking {

		@Bean
		WebServerFactoryCustomizer<?> terminatorReactiveJettyCustomizer(HttpTerminator terminator,
				UntrackedConnectors untracked, TerminatorProperties properties) {
			return ReactiveServerFactories.jetty(new JettyServerInstaller(terminator, untracked),
					ReactiveWebSocketClosers.jetty(terminator, properties));
		}

	}

}
