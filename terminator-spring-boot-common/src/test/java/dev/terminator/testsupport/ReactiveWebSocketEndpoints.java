package dev.terminator.testsupport;

import java.util.Map;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;

/**
 * A WebFlux WebSocket echo endpoint, upgraded by the strategy of the server that runs
 * ({@link SpringBootLine#reactiveUpgradeStrategy}).
 */
@Configuration(proxyBeanMethods = false)
public class ReactiveWebSocketEndpoints {

	/**
	 * The echo endpoint's path.
	 */
	public static final String PATH = "/ws/echo";

	/**
	 * The property naming the server the application runs on.
	 */
	static final String SERVER_PROPERTY = "test.reactive-server";

	@Bean
	HandlerMapping webSocketHandlerMapping() {
		WebSocketHandler echo = (session) -> session
			.send(session.receive().map((message) -> session.textMessage(message.getPayloadAsText())));
		return new SimpleUrlHandlerMapping(Map.of(PATH, echo), -1);
	}

	@Bean
	WebFluxConfigurer webSocketServiceConfigurer(Environment environment) {
		ReactiveServer server = environment.getRequiredProperty(SERVER_PROPERTY, ReactiveServer.class);
		WebSocketService service = new HandshakeWebSocketService(SpringBootLine.reactiveUpgradeStrategy(server));
		return new WebFluxConfigurer() {

			@Override
			public WebSocketService getWebSocketService() {
				return service;
			}

		};
	}

}
