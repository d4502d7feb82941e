package dev.terminator.testsupport;

import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.EnableWebSocketMessageBroker;
import org.springframework.web.socket.config.annotation.StompEndpointRegistry;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.socket.server.HandshakeHandler;
import org.springframework.web.socket.server.standard.ServerEndpointExporter;

/**
 * WebSocket endpoints of the test application, one of each kind an application has: a
 * Spring {@code WebSocketHandler} at {@code /ws/echo}, STOMP with the simple broker at
 * {@code /ws/stomp}, and a Jakarta {@code @ServerEndpoint} at {@code /ws/jakarta}. The
 * echoing ones answer each text message with the same text. Spring's WebSocket endpoints
 * upgrade as they would with only the running container on the class path
 * ({@link SpringBootLine#handshakeHandler}).
 */
@Configuration(proxyBeanMethods = false)
public class WebSocketEndpoints {

	/**
	 * The property that tells the application which container it runs on.
	 */
	static final String CONTAINER_PROPERTY = "testsupport.container";

	@Bean
	HandshakeHandler webSocketHandshakeHandler(@Value("${" + CONTAINER_PROPERTY + "}") Container container) {
		return SpringBootLine.handshakeHandler(container);
	}

	@Bean
	static ServerEndpointExporter serverEndpointExporter() {
		ServerEndpointExporter exporter = new ServerEndpointExporter();
		exporter.setAnnotatedEndpointClasses(JakartaEcho.class);
		return exporter;
	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSocket
	static class Handlers implements WebSocketConfigurer {

		private final HandshakeHandler handshakeHandler;

		Handlers(HandshakeHandler handshakeHandler) {
			this.handshakeHandler = handshakeHandler;
		}

		@Override
		public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
			registry.addHandler(new Echo(), "/ws/echo").setHandshakeHandler(this.handshakeHandler);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSocketMessageBroker
	static class Stomp implements WebSocketMessageBrokerConfigurer {

		private final HandshakeHandler handshakeHandler;

		Stomp(HandshakeHandler handshakeHandler) {
			this.handshakeHandler = handshakeHandler;
		}

		@Override
		public void registerStompEndpoints(StompEndpointRegistry registry) {
			registry.addEndpoint("/ws/stomp").setHandshakeHandler(this.handshakeHandler);
		}

		@Override
		public void configureMessageBroker(MessageBrokerRegistry registry) {
			registry.enableSimpleBroker("/topic");
		}

	}

	static class Echo extends TextWebSocketHandler {

		@Override
		protected void handleTextMessage(WebSocketSession session, TextMessage message) throws Exception {
			session.sendMessage(new TextMessage(message.getPayload()));
		}

	}

	/**
	 * A Jakarta endpoint that echoes each text message.
	 */
	@ServerEndpoint("/ws/jakarta")
	public static class JakartaEcho {

		@OnMessage
		public String echo(String message) {
			return message;
		}

	}

}
