package dev.terminator.autoconfigure;

import dev.terminator.core.HttpTerminator;
import dev.terminator.core.WebSocketCloser;
import dev.terminator.jetty.JettyWebSocketCloser;
import dev.terminator.tomcat.TomcatWebSocketCloser;
import dev.terminator.undertow.UndertowWebSocketCloser;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Closes the open WebSocket sessions with 1001 (Going Away) when the drain begins,
 * through each container's own WebSocket support: a {@link WebSocketCloser} per container
 * whose WebSocket classes are present, registered once the web application's servlet
 * context exists, and run on a thread of its own when the drain begins. Each acts only on
 * its own container, so several on one class path do no harm.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "terminator.websocket.close-on-drain", matchIfMissing = true)
class WebSocketDrainConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.apache.tomcat.websocket.server.WsServerContainer")
	static class TomcatWebSocketConfiguration {

		@Bean
		ServletContextInitializer terminatorTomcatWebSocketCloser(HttpTerminator terminator) {
			return (servletContext) -> terminator
				.addListener(WebSocketCloser.onDrainStart("tomcat", new TomcatWebSocketCloser(servletContext)));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(
			name = { "org.eclipse.jetty.server.Server", "org.eclipse.jetty.websocket.core.WebSocketConnection" })
	static class JettyWebSocketConfiguration {

		@Bean
		ServletContextInitializer terminatorJettyWebSocketCloser(HttpTerminator terminator) {
			return (servletContext) -> terminator
				.addListener(WebSocketCloser.onDrainStart("jetty", new JettyWebSocketCloser(servletContext)));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.undertow.websockets.jsr.ServerWebSocketContainer")
	static class UndertowWebSocketConfiguration {

		@Bean
		ServletContextInitializer terminatorUndertowWebSocketCloser(HttpTerminator terminator,
				ObjectProvider<SpringWebSocketSessions> springSessions) {
			return (servletContext) -> {
				SpringWebSocketSessions sessions = springSessions.getIfAvailable();
				UndertowWebSocketCloser closer = (sessions != null)
						? new UndertowWebSocketCloser(servletContext, sessions::nativeSessions)
						: new UndertowWebSocketCloser(servletContext);
				terminator.addListener(WebSocketCloser.onDrainStart("undertow", closer));
			};
		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(name = "org.springframework.web.socket.server.support.WebSocketHttpRequestHandler")
		static class SpringWebSocketSessionsConfiguration {

			@Bean
			static SpringWebSocketSessions terminatorSpringWebSocketSessions() {
				return new SpringWebSocketSessions();
			}

		}

	}

}
