package dev.terminator.tomcat;

import dev.terminator.core.WebSocketCloser;
import jakarta.servlet.ServletContext;
import jakarta.websocket.server.ServerContainer;
import org.apache.tomcat.websocket.server.WsServerContainer;

/**
 * Closes every WebSocket session of a Tomcat web application with 1001 (Going Away) when
 * the drain begins: Spring WebSocket handlers, STOMP and Jakarta {@code @ServerEndpoint}s
 * alike, since on Tomcat all of them are sessions of the application's
 * {@link WsServerContainer}.
 *
 * <p>
 * It calls {@link WsServerContainer#destroy()}, the method Tomcat itself calls when the
 * application stops, which Tomcat runs too late for the drain: after the connector has
 * already cut the sockets. It closes each session with the reason "The web application is
 * stopping"; the client answers the close, Tomcat closes the socket, and the drain counts
 * the connection as completed. It also closes the client sessions the application opened
 * through that same container ({@code ContainerProvider} or {@code connectToServer} in
 * the web application). Later upgrades still work.
 *
 * <p>
 * Each close is a blocking send (up to 50 ms when the client does not read): add it to
 * the terminator with {@link WebSocketCloser#onDrainStart}, which runs it on a thread of
 * its own, never on the drain's.
 */
public final class TomcatWebSocketCloser implements WebSocketCloser {

	private final ServletContext servletContext;

	/**
	 * Create a closer for the WebSocket sessions of a web application.
	 * @param servletContext the application's servlet context, where Tomcat keeps its
	 * WebSocket container
	 */
	public TomcatWebSocketCloser(ServletContext servletContext) {
		this.servletContext = servletContext;
	}

	@Override
	public void closeSessions() {
		// Read now, not at start-up: Tomcat's WebSocket initializer may run after the
		// application's.
		if (this.servletContext.getAttribute(ServerContainer.class.getName()) instanceof WsServerContainer container) {
			container.destroy();
		}
	}

}
