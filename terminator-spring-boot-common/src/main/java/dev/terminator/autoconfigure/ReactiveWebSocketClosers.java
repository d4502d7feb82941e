package dev.terminator.autoconfigure;

import java.util.function.Consumer;

import dev.terminator.core.HttpTerminator;
import dev.terminator.core.WebSocketCloser;
import dev.terminator.jetty.JettyWebSocketCloser;
import dev.terminator.tomcat.TomcatWebSocketCloser;
import jakarta.servlet.ServletContext;

import org.springframework.util.ClassUtils;

/**
 * The WebSocket closers of the servlet containers under WebFlux: each is handed the
 * servlet context by its factory (a reactive factory runs no servlet initializer, which
 * is how {@link WebSocketDrainConfiguration} gets it on the servlet stack), and closes
 * the open sessions with 1001 when the drain begins.
 */
final class ReactiveWebSocketClosers {

	private static final String TOMCAT_WEBSOCKET = "org.apache.tomcat.websocket.server.WsServerContainer";

	private static final String JETTY_WEBSOCKET = "org.eclipse.jetty.websocket.core.WebSocketConnection";

	private ReactiveWebSocketClosers() {
	}

	/**
	 * What registers Tomcat's closer, once the servlet context exists.
	 * @param terminator the terminator
	 * @param properties the properties, {@code terminator.websocket.close-on-drain}
	 * @return the registration; does nothing when closing is switched off or Tomcat's
	 * WebSocket support is absent
	 */
	static Consumer<ServletContext> tomcat(HttpTerminator terminator, TerminatorProperties properties) {
		if (!closes(properties, TOMCAT_WEBSOCKET)) {
			return (servletContext) -> {
			};
		}
		return (servletContext) -> terminator
			.addListener(WebSocketCloser.onDrainStart("tomcat", new TomcatWebSocketCloser(servletContext)));
	}

	/**
	 * What registers Jetty's closer, once the servlet context exists.
	 * @param terminator the terminator
	 * @param properties the properties, {@code terminator.websocket.close-on-drain}
	 * @return the registration; does nothing when closing is switched off or Jetty's
	 * WebSocket support is absent
	 */
	static Consumer<ServletContext> jetty(HttpTerminator terminator, TerminatorProperties properties) {
		if (!closes(properties, JETTY_WEBSOCKET)) {
			return (servletContext) -> {
			};
		}
		return (servletContext) -> terminator
			.addListener(WebSocketCloser.onDrainStart("jetty", new JettyWebSocketCloser(servletContext)));
	}

	private static boolean closes(TerminatorProperties properties, String webSocketClass) {
		return properties.getWebsocket().isCloseOnDrain()
				&& ClassUtils.isPresent(webSocketClass, ReactiveWebSocketClosers.class.getClassLoader());
	}

}
