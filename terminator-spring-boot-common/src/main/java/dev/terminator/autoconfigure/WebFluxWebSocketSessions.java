package dev.terminator.autoconfigure;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.terminator.core.DrainProgress;
import dev.terminator.core.TerminationListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.WebSocketHandlerAdapter;

/**
 * Keeps the open WebFlux WebSocket sessions, for a server that lists none itself
 * (Undertow under Spring Framework 6, whose upgrade opens each session through a
 * handshake handler of that one request), and closes them with 1001 (Going Away) when the
 * drain begins once {@link #closeOnDrain() switched on} for the server that runs. Every
 * session passes through WebFlux's {@link WebSocketHandlerAdapter}: its service is
 * wrapped so that each handler is recorded for as long as its session is open.
 */
final class WebFluxWebSocketSessions implements BeanPostProcessor, TerminationListener {

	private static final Log logger = LogFactory.getLog(WebFluxWebSocketSessions.class);

	private final Set<WebSocketSession> sessions = ConcurrentHashMap.newKeySet();

	private volatile boolean closeOnDrain;

	/**
	 * Close the recorded sessions when the drain begins: called when the server that
	 * needs it is created.
	 */
	void closeOnDrain() {
		this.closeOnDrain = true;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof WebSocketHandlerAdapter adapter) {
			WebSocketService service = adapter.getWebSocketService();
			WebSocketHandlerAdapter recording = new WebSocketHandlerAdapter(
					(exchange, handler) -> service.handleRequest(exchange, recording(handler)));
			recording.setOrder(adapter.getOrder());
			return recording;
		}
		return bean;
	}

	private WebSocketHandler recording(WebSocketHandler handler) {
		return new WebSocketHandler() {

			@Override
			public List<String> getSubProtocols() {
				return handler.getSubProtocols();
			}

			@Override
			public Mono<Void> handle(WebSocketSession session) {
				WebFluxWebSocketSessions.this.sessions.add(session);
				return handler.handle(session)
					.doFinally((signal) -> WebFluxWebSocketSessions.this.sessions.remove(session));
			}

		};
	}

	/**
	 * The sessions open now.
	 * @return how many
	 */
	int open() {
		return this.sessions.size();
	}

	@Override
	public void drainStarted(DrainProgress progress) {
		if (!this.closeOnDrain) {
			return;
		}
		for (WebSocketSession session : this.sessions) {
			session.close(CloseStatus.GOING_AWAY)
				.subscribe(null, (ex) -> logger.debug("Could not close a WebSocket session", ex));
		}
	}

}
