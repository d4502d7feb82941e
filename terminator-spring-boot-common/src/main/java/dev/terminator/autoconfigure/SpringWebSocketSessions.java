package dev.terminator.autoconfigure;

import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.websocket.Session;

import org.springframework.beans.factory.config.InstantiationAwareBeanPostProcessor;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.handler.ExceptionWebSocketHandlerDecorator;
import org.springframework.web.socket.handler.LoggingWebSocketHandlerDecorator;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

/**
 * Keeps the open sessions of the application's Spring WebSocket handlers (STOMP's
 * included) for Undertow, which lists no such sessions itself: Spring opens each one
 * through an endpoint configured for that one request.
 */
final class SpringWebSocketSessions implements InstantiationAwareBeanPostProcessor {

	private final Set<WebSocketSession> sessions = ConcurrentHashMap.newKeySet();

	@Override
	public boolean postProcessAfterInstantiation(Object bean, String beanName) {
		// Spring has no global hook on plain WebSocket handlers (its decorator factories
		// apply to STOMP only), so they are wrapped where they are mapped: in the
		// SimpleUrlHandlerMappings that @EnableWebSocket and
		// @EnableWebSocketMessageBroker create. Handlers behind SockJS, and request
		// handlers of other types, are left as they are. Done before initialization,
		// where the mapping registers the handlers of its URL map.
		if (bean instanceof SimpleUrlHandlerMapping mapping) {
			Map<Object, Object> replacements = new IdentityHashMap<>();
			Map<String, Object> handlers = new LinkedHashMap<>(mapping.getUrlMap());
			for (Map.Entry<String, Object> entry : handlers.entrySet()) {
				if (entry.getValue() != null && entry.getValue().getClass() == WebSocketHttpRequestHandler.class) {
					entry.setValue(replacements.computeIfAbsent(entry.getValue(),
							(handler) -> tracking((WebSocketHttpRequestHandler) handler)));
				}
			}
			if (!replacements.isEmpty()) {
				mapping.setUrlMap(handlers);
			}
		}
		return true;
	}

	/**
	 * The Jakarta WebSocket sessions underneath the open Spring sessions.
	 * @return the native sessions
	 */
	Collection<Session> nativeSessions() {
		List<Session> nativeSessions = new ArrayList<>();
		for (WebSocketSession session : this.sessions) {
			if (session instanceof NativeWebSocketSession nativeSession) {
				Session jakartaSession = nativeSession.getNativeSession(Session.class);
				if (jakartaSession != null) {
					nativeSessions.add(jakartaSession);
				}
			}
		}
		return nativeSessions;
	}

	private WebSocketHttpRequestHandler tracking(WebSocketHttpRequestHandler original) {
		WebSocketHttpRequestHandler replacement = new WebSocketHttpRequestHandler(
				new SessionRecordingHandler(undecorated(original.getWebSocketHandler()), this.sessions),
				original.getHandshakeHandler());
		replacement.setHandshakeInterceptors(original.getHandshakeInterceptors());
		return replacement;
	}

	// WebSocketHttpRequestHandler wraps the handler in a logging and an exception
	// decorator; the replacement adds them again around the recording handler.
	private static WebSocketHandler undecorated(WebSocketHandler handler) {
		if (handler instanceof LoggingWebSocketHandlerDecorator logging
				&& logging.getDelegate() instanceof ExceptionWebSocketHandlerDecorator exceptions) {
			return exceptions.getDelegate();
		}
		return handler;
	}

	/**
	 * Records each session while it is open.
	 */
	private static final class SessionRecordingHandler extends WebSocketHandlerDecorator {

		private final Set<WebSocketSession> sessions;

		SessionRecordingHandler(WebSocketHandler delegate, Set<WebSocketSession> sessions) {
			super(delegate);
			this.sessions = sessions;
		}

		@Override
		public void afterConnectionEstablished(WebSocketSession session) throws Exception {
			this.sessions.add(session);
			super.afterConnectionEstablished(session);
		}

		@Override
		public void afterConnectionClosed(WebSocketSession session, CloseStatus closeStatus) throws Exception {
			this.sessions.remove(session);
			super.afterConnectionClosed(session, closeStatus);
		}

	}

}
