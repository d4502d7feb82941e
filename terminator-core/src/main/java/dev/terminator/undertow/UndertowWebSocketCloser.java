package dev.terminator.undertow;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

import dev.terminator.core.WebSocketCloser;
import io.undertow.websockets.jsr.ConfiguredServerEndpoint;
import io.undertow.websockets.jsr.ServerWebSocketContainer;
import io.undertow.websockets.jsr.UndertowSession;
import jakarta.servlet.ServletContext;
import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerContainer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Closes the sessions of the Jakarta WebSocket endpoints deployed in Undertow
 * ({@code @ServerEndpoint} classes and {@code ServerEndpointConfig}s added to its
 * {@link ServerWebSocketContainer}) with 1001 (Going Away) when the drain begins.
 *
 * <p>
 * Undertow lists sessions only per deployed endpoint
 * ({@link ServerWebSocketContainer#getConfiguredServerEndpoints()}). A session that a
 * framework opened through {@code ServerWebSocketContainer.doUpgrade} or
 * {@code upgradeHttpToWebSocket}, as Spring's WebSocket support does, belongs to an
 * endpoint configured for that one request and listed nowhere: the framework has to keep
 * such sessions itself and hand them over as {@code upgradedSessions}.
 * {@link ServerWebSocketContainer#pause} and {@code close()} are not used: they close
 * only the listed sessions and also refuse later upgrades.
 *
 * <p>
 * Once a client has answered the close frame, the connection is closed
 * ({@link CloseHandshakeEnd}): Undertow would otherwise wait for the client to close it.
 *
 * <p>
 * Closing runs the endpoints' {@code onClose} callbacks: add it to the terminator with
 * {@link WebSocketCloser#onDrainStart}, which calls it on a thread of its own, never on
 * the drain's.
 */
public final class UndertowWebSocketCloser implements WebSocketCloser {

	private static final Log logger = LogFactory.getLog(UndertowWebSocketCloser.class);

	private final ServletContext servletContext;

	private final Supplier<? extends Collection<Session>> upgradedSessions;

	/**
	 * Create a closer for the sessions of the Jakarta WebSocket endpoints deployed in a
	 * web application.
	 * @param servletContext the application's servlet context, where Undertow keeps its
	 * WebSocket container
	 */
	public UndertowWebSocketCloser(ServletContext servletContext) {
		this(servletContext, List::of);
	}

	/**
	 * Create a closer for the sessions of the Jakarta WebSocket endpoints deployed in a
	 * web application and for sessions a framework upgraded itself.
	 * @param servletContext the application's servlet context, where Undertow keeps its
	 * WebSocket container
	 * @param upgradedSessions the open sessions that a framework opened through
	 * {@code doUpgrade} or {@code upgradeHttpToWebSocket}, asked for when the drain
	 * begins
	 */
	public UndertowWebSocketCloser(ServletContext servletContext,
			Supplier<? extends Collection<Session>> upgradedSessions) {
		this.servletContext = servletContext;
		this.upgradedSessions = upgradedSessions;
	}

	@Override
	public void closeSessions() {
		Object attribute = this.servletContext.getAttribute(ServerContainer.class.getName());
		if (!(attribute instanceof ServerWebSocketContainer container)) {
			return;
		}
		List<Session> sessions = new ArrayList<>();
		for (ConfiguredServerEndpoint endpoint : container.getConfiguredServerEndpoints()) {
			sessions.addAll(endpoint.getOpenSessions());
		}
		sessions.addAll(this.upgradedSessions.get());
		CloseReason reason = new CloseReason(CloseCodes.GOING_AWAY, "Server is draining");
		for (Session session : sessions) {
			try {
				session.close(reason);
				if (session instanceof UndertowSession undertowSession) {
					CloseHandshakeEnd.closeWhenAnswered(undertowSession.getWebSocketChannel());
				}
			}
			catch (IOException | RuntimeException ex) {
				logger.debug("Could not close WebSocket session " + session.getId() + " of undertow", ex);
			}
		}
	}

}
