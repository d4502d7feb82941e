package dev.terminator.sample;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.autoconfigure.web.servlet.UndertowServletWebServerFactoryCustomizer;
import org.springframework.boot.autoconfigure.websocket.servlet.JettyWebSocketServletWebServerCustomizer;
import org.springframework.boot.autoconfigure.websocket.servlet.TomcatWebSocketServletWebServerCustomizer;
import org.springframework.boot.autoconfigure.websocket.servlet.UndertowWebSocketServletWebServerCustomizer;
import org.springframework.boot.web.embedded.jetty.JettyServerCustomizer;
import org.springframework.boot.web.embedded.jetty.JettyServletWebServerFactory;
import org.springframework.boot.web.embedded.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.web.embedded.tomcat.TomcatContextCustomizer;
import org.springframework.boot.web.embedded.tomcat.TomcatProtocolHandlerCustomizer;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.embedded.undertow.UndertowBuilderCustomizer;
import org.springframework.boot.web.embedded.undertow.UndertowDeploymentInfoCustomizer;
import org.springframework.boot.web.embedded.undertow.UndertowServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.server.HandshakeHandler;
import org.springframework.web.socket.server.jetty.JettyRequestUpgradeStrategy;
import org.springframework.web.socket.server.standard.TomcatRequestUpgradeStrategy;
import org.springframework.web.socket.server.standard.UndertowRequestUpgradeStrategy;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/**
 * The web server factory chosen by {@code sample.container}, with that container's
 * WebSocket support. With Tomcat, Jetty and Undertow all on the class path Spring Boot
 * would always pick Tomcat; a factory defined here makes its own back off.
 */
@Configuration(proxyBeanMethods = false)
class SampleContainerConfiguration {

	// Each factory is built as Spring Boot's auto-configuration builds it, so the choice
	// changes nothing but the container: server.* properties (TLS included) and every
	// WebServerFactoryCustomizer, terminator's included, apply as usual.
	@Bean
	@ConditionalOnSampleContainer(SampleContainer.TOMCAT)
	TomcatServletWebServerFactory tomcatServletWebServerFactory(
			ObjectProvider<TomcatConnectorCustomizer> connectorCustomizers,
			ObjectProvider<TomcatContextCustomizer> contextCustomizers,
			ObjectProvider<TomcatProtocolHandlerCustomizer<?>> protocolHandlerCustomizers) {
		TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory();
		factory.getTomcatConnectorCustomizers().addAll(connectorCustomizers.orderedStream().toList());
		factory.getTomcatContextCustomizers().addAll(contextCustomizers.orderedStream().toList());
		factory.getTomcatProtocolHandlerCustomizers().addAll(protocolHandlerCustomizers.orderedStream().toList());
		return factory;
	}

	@Bean
	@ConditionalOnSampleContainer(SampleContainer.JETTY)
	JettyServletWebServerFactory jettyServletWebServerFactory(ObjectProvider<JettyServerCustomizer> serverCustomizers) {
		JettyServletWebServerFactory factory = new JettyServletWebServerFactory();
		factory.getServerCustomizers().addAll(serverCustomizers.orderedStream().toList());
		return factory;
	}

	@Bean
	@ConditionalOnSampleContainer(SampleContainer.UNDERTOW)
	UndertowServletWebServerFactory undertowServletWebServerFactory(
			ObjectProvider<UndertowDeploymentInfoCustomizer> deploymentInfoCustomizers,
			ObjectProvider<UndertowBuilderCustomizer> builderCustomizers) {
		UndertowServletWebServerFactory factory = new UndertowServletWebServerFactory();
		factory.getDeploymentInfoCustomizers().addAll(deploymentInfoCustomizers.orderedStream().toList());
		factory.getBuilderCustomizers().addAll(builderCustomizers.orderedStream().toList());
		return factory;
	}

	@Bean
	@ConditionalOnSampleContainer(SampleContainer.UNDERTOW)
	UndertowServletWebServerFactoryCustomizer undertowServletWebServerFactoryCustomizer(
			ServerProperties serverProperties) {
		return new UndertowServletWebServerFactoryCustomizer(serverProperties);
	}

	// The customizers Spring Boot's WebSocket auto-configuration would define, which the
	// sample leaves out (see SampleApplication), and each container's upgrade strategy.
	@Bean
	@ConditionalOnSampleContainer(SampleContainer.TOMCAT)
	TomcatWebSocketServletWebServerCustomizer tomcatWebSocketServletWebServerCustomizer() {
		return new TomcatWebSocketServletWebServerCustomizer();
	}

	@Bean
	@ConditionalOnSampleContainer(SampleContainer.TOMCAT)
	HandshakeHandler tomcatHandshakeHandler() {
		return new DefaultHandshakeHandler(new TomcatRequestUpgradeStrategy());
	}

	@Bean
	@ConditionalOnSampleContainer(SampleContainer.JETTY)
	JettyWebSocketServletWebServerCustomizer jettyWebSocketServletWebServerCustomizer() {
		return new JettyWebSocketServletWebServerCustomizer();
	}

	@Bean
	@ConditionalOnSampleContainer(SampleContainer.JETTY)
	HandshakeHandler jettyHandshakeHandler() {
		return new DefaultHandshakeHandler(new JettyRequestUpgradeStrategy());
	}

	@Bean
	@ConditionalOnSampleContainer(SampleContainer.UNDERTOW)
	UndertowWebSocketServletWebServerCustomizer undertowWebSocketServletWebServerCustomizer() {
		return new UndertowWebSocketServletWebServerCustomizer();
	}

	@Bean
	@ConditionalOnSampleContainer(SampleContainer.UNDERTOW)
	// Spring Framework 6.2 deprecates Undertow's upgrade for removal with Undertow itself
	// (Spring 7 drops it); it is still the one that works on Undertow in Spring Boot 3.5,
	// the line this sample runs on.
	@SuppressWarnings("removal")
	HandshakeHandler undertowHandshakeHandler() {
		return new DefaultHandshakeHandler(new UndertowRequestUpgradeStrategy());
	}

}
