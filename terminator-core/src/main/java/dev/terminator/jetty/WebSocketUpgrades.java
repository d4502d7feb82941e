package dev.terminator.jetty;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.websocket.core.WebSocketConnection;

/**
 * Tells a socket upgraded to WebSocket by the connection Jetty put on it, whether or not
 * the application has Jetty's WebSocket support.
 */
final class WebSocketUpgrades {

	private static final boolean WEBSOCKET_PRESENT = isWebSocketPresent();

	private WebSocketUpgrades() {
	}

	/**
	 * Whether a connection is a WebSocket connection, which replaces the HTTP connection
	 * on the socket after an upgrade
	 * ({@code org.eclipse.jetty.websocket.core.WebSocketConnection}, the same in Jetty
	 * 12.0 and 12.1).
	 * @param connection a connection just opened on a socket
	 * @return {@code true} for a WebSocket connection
	 */
	static boolean isWebSocket(Connection connection) {
		return WEBSOCKET_PRESENT && WebSocketCheck.isWebSocket(connection);
	}

	private static boolean isWebSocketPresent() {
		try {
			Class.forName("org.eclipse.jetty.websocket.core.WebSocketConnection", false,
					WebSocketUpgrades.class.getClassLoader());
			return true;
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return false;
		}
	}

	/**
	 * Loaded only when Jetty's WebSocket core is on the class path.
	 */
	private static final class WebSocketCheck {

		static boolean isWebSocket(Connection connection) {
			return connection instanceof WebSocketConnection;
		}

	}

}
