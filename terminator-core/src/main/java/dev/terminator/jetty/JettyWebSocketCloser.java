package dev.terminator.jetty;

import java.util.List;

import dev.terminator.core.WebSocketCloser;
import jakarta.servlet.ServletContext;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.eclipse.jetty.util.component.Container;
import org.eclipse.jetty.util.component.Graceful;

/**
 * Closes every WebSocket session of a Jetty 12 web application with 1001 (Going Away)
 * when the drain begins: the sessions of its Jakarta WebSocket container
 * ({@code @ServerEndpoint}s, and Spring WebSocket handlers and STOMP on Spring Framework
 * 7) and of its Jetty WebSocket container (Spring WebSocket handlers and STOMP on Spring
 * Framework 6).
 *
 * <p>
 * Each of those containers keeps its sessions in a session tracker, a {@link Graceful}
 * bean whose {@link Graceful#shutdown()} closes every session with 1001 "Container being
 * shut down" through Jetty's own WebSocket session, so the close frame goes through
 * Jetty's frame flusher. It is what Jetty's own graceful stop calls; Spring Boot never
 * lets it run (it stops Jetty with a stop timeout of 0). Only Jetty core types are used,
 * so one class serves ee10 (Jetty 12.0) and ee11 (Jetty 12.1). Add it to the terminator
 * with {@link WebSocketCloser#onDrainStart}, which calls it on a thread of its own, never
 * on the drain's. A Jakarta container's tracker also holds the client sessions the
 * application opened through it.
 */
public final class JettyWebSocketCloser implements WebSocketCloser {

	/**
	 * Where the ee10 and ee11 WebSocket containers keep themselves in the servlet
	 * context: the Jakarta container under the name of
	 * {@code jakarta.websocket.server.ServerContainer}, the Jetty one under the name of
	 * {@code org.eclipse.jetty.websocket.api.WebSocketContainer}
	 * ({@code JettyWebSocketServerContainer}).
	 */
	static final List<String> CONTAINER_ATTRIBUTES = List.of("jakarta.websocket.server.ServerContainer",
			"org.eclipse.jetty.websocket.api.WebSocketContainer");

	private static final Log logger = LogFactory.getLog(JettyWebSocketCloser.class);

	private final ServletContext servletContext;

	/**
	 * Create a closer for the WebSocket sessions of a web application.
	 * @param servletContext the application's servlet context, where Jetty keeps its
	 * WebSocket containers
	 */
	public JettyWebSocketCloser(ServletContext servletContext) {
		this.servletContext = servletContext;
	}

	@Override
	public void closeSessions() {
		for (String attribute : CONTAINER_ATTRIBUTES) {
			if (this.servletContext.getAttribute(attribute) instanceof Container container) {
				for (Graceful tracker : container.getBeans(Graceful.class)) {
					tracker.shutdown().whenComplete((ignored, failure) -> {
						if (failure != null) {
							logger.warn("Could not close the WebSocket sessions of jetty", failure);
						}
					});
				}
			}
		}
	}

}
