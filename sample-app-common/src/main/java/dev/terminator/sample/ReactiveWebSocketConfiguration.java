package dev.terminator.sample;

import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.server.RequestUpgradeStrategy;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;

/**
 * {@code GET /ws/echo} on WebFlux: a WebSocket that answers each text message with the
 * same text. When the drain begins, terminator closes it with 1001 (Going Away).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = Type.REACTIVE)
class ReactiveWebSocketConfiguration implements WebFluxConfigurer {

	private final ObjectProvider<RequestUpgradeStrategy> upgradeStrategy;

	/**
	 * Create the configuration.
	 * @param upgradeStrategy the WebSocket upgrade of the chosen server, where the sample
	 * must pick one: Spring picks by the classes present, and the sample has several
	 * servers on its class path
	 */
	ReactiveWebSocketConfiguration(ObjectProvider<RequestUpgradeStrategy> upgradeStrategy) {
		this.upgradeStrategy = upgradeStrategy;
	}

	@Bean
	HandlerMapping echoWebSocketMapping() {
		WebSocketHandler echo = (session) -> session
			.send(session.receive().map((message) -> session.textMessage(message.getPayloadAsText())));
		// Before the annotated controllers' mapping.
		return new SimpleUrlHandlerMapping(Map.of("/ws/echo", echo), -1);
	}

	@Override
	public WebSocketService getWebSocketService() {
		RequestUpgradeStrategy strategy = this.upgradeStrategy.getIfAvailable();
		return (strategy != null) ? new HandshakeWebSocketService(strategy) : new HandshakeWebSocketService();
	}

}
