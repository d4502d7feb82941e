package dev.terminator.sample;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.reactive.socket.server.upgrade.ReactorNettyRequestUpgradeStrategy;
import org.springframework.web.socket.server.HandshakeHandler;
import org.springframework.web.socket.server.RequestUpgradeStrategy;
import org.springframework.web.socket.server.jetty.JettyRequestUpgradeStrategy;
import org.springframework.web.socket.server.standard.StandardWebSocketUpgradeStrategy;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/**
 * The WebSocket upgrade of the chosen server. Spring Framework 7 picks Jetty's own
 * upgrade whenever Jetty's WebSocket server is on the class path, and on WebFlux Reactor
 * Netty's before the standard one whenever Reactor Netty is: here all are, so the sample
 * names the strategy of the server it runs on. An application with one server needs none
 * of this.
 */
@Configuration(proxyBeanMethods = false)
class SampleHandshakeConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.SERVLET)
	static class ServletHandshakeConfiguration {

		@Bean
		HandshakeHandler sampleHandshakeHandler(Environment environment) {
			SampleContainer container = SampleContainer.chosen(Binder.get(environment));
			RequestUpgradeStrategy upgrade = (container == SampleContainer.JETTY) ? new JettyRequestUpgradeStrategy()
					: new StandardWebSocketUpgradeStrategy();
			return new DefaultHandshakeHandler(upgrade);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.REACTIVE)
	static class ReactiveHandshakeConfiguration {

		@Bean
		org.springframework.web.reactive.socket.server.RequestUpgradeStrategy sampleUpgradeStrategy(
				Environment environment) {
			return switch (SampleContainer.chosen(Binder.get(environment))) {
				case NETTY -> new ReactorNettyRequestUpgradeStrategy();
				case JETTY -> new org.springframework.web.reactive.socket.server.upgrade.JettyRequestUpgradeStrategy();
				case TOMCAT ->
					new org.springframework.web.reactive.socket.server.upgrade.StandardWebSocketUpgradeStrategy();
			};
		}

	}

}
