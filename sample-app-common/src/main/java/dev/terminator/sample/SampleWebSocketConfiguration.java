package dev.terminator.sample;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistration;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.socket.server.HandshakeHandler;

/**
 * {@code GET /ws/echo}: a WebSocket that answers each text message with the same text.
 * When the drain begins, terminator closes it with 1001 (Going Away).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = Type.SERVLET)
@EnableWebSocket
class SampleWebSocketConfiguration implements WebSocketConfigurer {

	private final ObjectProvider<HandshakeHandler> handshakeHandler;

	/**
	 * Create the configuration.
	 * @param handshakeHandler the handshake handler of the chosen container, where the
	 * sample must pick one (Spring Framework 6 picks by the classes present, and the Boot
	 * 3.5 sample has every container on the class path)
	 */
	SampleWebSocketConfiguration(ObjectProvider<HandshakeHandler> handshakeHandler) {
		this.handshakeHandler = handshakeHandler;
	}

	@Override
	public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
		WebSocketHandlerRegistration echo = registry.addHandler(new EchoHandler(), "/ws/echo");
		this.handshakeHandler.ifAvailable(echo::setHandshakeHandler);
	}

	static class EchoHandler extends TextWebSocketHandler {

		@Override
		protected void handleTextMessage(WebSocketSession session, TextMessage message) throws Exception {
			session.sendMessage(new TextMessage(message.getPayload()));
		}

	}

}
