package dev.terminator.sample;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.socket.server.HandshakeHandler;
import org.springframework.web.socket.server.RequestUpgradeStrategy;
import org.springframework.web.socket.server.jetty.JettyRequestUpgradeStrategy;
import org.springframework.web.socket.server.standard.StandardWebSocketUpgradeStrategy;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/**
 * The WebSocket upgrade of the chosen container. Spring Framework 7 picks Jetty's own
 * upgrade whenever Jetty's WebSocket server is on the class path, as it is here for
 * {@code --sample.container=jetty}: on Tomcat that upgrade fails, so the sample names the
 * strategy of the container it runs on. An application with one container needs none of
 * this.
 */
@Configuration(proxyBeanMethods = false)
class SampleHandshakeConfiguration {

	@Bean
	HandshakeHandler sampleHandshakeHandler(Environment environment) {
		SampleContainer container = Binder.get(environment)
			.bind(SampleContainerEnvironmentPostProcessor.PROPERTY, SampleContainer.class)
			.orElse(SampleContainer.TOMCAT);
		RequestUpgradeStrategy upgrade = (container == SampleContainer.JETTY) ? new JettyRequestUpgradeStrategy()
				: new StandardWebSocketUpgradeStrategy();
		return new DefaultHandshakeHandler(upgrade);
	}

}
