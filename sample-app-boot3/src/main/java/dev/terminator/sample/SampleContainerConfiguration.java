package dev.terminator.sample;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.autoconfigure.web.servlet.UndertowServletWebServerFactoryCustomizer;
import org.springframework.boot.autoconfigure.websocket.servlet.JettyWebSocketServletWebServerCustomizer;
import org.springframework.boot.autoconfigure.websocket.servlet.TomcatWebSocketServletWebServerCustomizer;
import org.springframework.boot.autoconfigure.websocket.servlet.UndertowWebSocketServletWebServerCustomizer;
import org.springframework.boot.web.embedded.jetty.JettyServerCustomizer;
import org.springframework.boot.web.embedded.jetty.JettyReactiveWebServerFactory;
import org.springframework.boot.web.embedded.jetty.JettyServletWebServerFactory;
import org.springframework.boot.web.embedded.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.embedded.netty.NettyRouteProvider;
import org.springframework.boot.web.embedded.netty.NettyServerCustomizer;
import org.springframework.boot.web.embedded.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.web.embedded.tomcat.TomcatContextCustomizer;
import org.springframework.boot.web.embedded.tomcat.TomcatProtocolHandlerCustomizer;
import org.springframework.boot.web.embedded.tomcat.TomcatReactiveWebServerFactory;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.embedded.undertow.UndertowBuilderCustomizer;
import org.springframework.boot.web.embedded.undertow.UndertowDeploymentInfoCustomizer;
import org.springframework.boot.web.embedded.undertow.UndertowReactiveWebServerFactory;
import org.springframework.boot.web.embedded.undertow.UndertowServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.web.reactive.socket.server.RequestUpgradeStrategy;
import org.springframework.web.reactive.socket.server.upgrade.ReactorNettyRequestUpgradeStrategy;
import org.springframework.web.socket.server.HandshakeHandler;
import org.springframework.web.socket.server.jetty.JettyRequestUpgradeStrategy;
import org.springframework.web.socket.server.standard.TomcatRequestUpgradeStrategy;
import org.springframework.web.socket.server.standard.UndertowRequestUpgradeStrategy;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/**
 * The web server factory chosen by {@code sample.container}, with that container's
 * WebSocket support, for the stack chosen by {@code sample.stack}. With Tomcat, Jetty,
 * Undertow and Reactor Netty all on the class path Spring Boot would always pick Tomcat;
 * a factory defined here makes its own back off.
 */
@Configuration(proxyBeanMethods = false)
class SampleContainerConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.SERVLET)
	static class ServletContainerConfiguration {

		// Each factory is built as Spring Boot's auto-configuration builds it, so the
		// choice changes nothing but the container: server.* properties (TLS included)
		// and every WebServerFactoryCustomizer, terminator's included, apply as usual.
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
		JettyServletWebServerFactory jettyServletWebServerFactory(
				ObjectProvider<JettyServerCustomizer> serverCustomizers) {
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

		// The customizers Spring Boot's WebSocket auto-configuration would define, which
		// the sample leaves out (see SampleApplication), and each container's upgrade
		// strategy.
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
		// Spring Framework 6.2 deprecates Undertow's upgrade for removal with Undertow
		// itself (Spring 7 drops it); it is still the one that works on Undertow in
		// Spring Boot 3.5, the line this sample runs on.
		@SuppressWarnings("removal")
		HandshakeHandler undertowHandshakeHandler() {
			return new DefaultHandshakeHandler(new UndertowRequestUpgradeStrategy());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.REACTIVE)
	static class ReactiveContainerConfiguration {

		// Each factory is built as Spring Boot's auto-configuration builds it.
		@Bean
		@ConditionalOnSampleContainer(SampleContainer.NETTY)
		NettyReactiveWebServerFactory nettyReactiveWebServerFactory(
				ObjectProvider<ReactorResourceFactory> resourceFactory, ObjectProvider<NettyRouteProvider> routes,
				ObjectProvider<NettyServerCustomizer> serverCustomizers) {
			NettyReactiveWebServerFactory factory = new NettyReactiveWebServerFactory();
			resourceFactory.ifAvailable(factory::setResourceFactory);
			routes.orderedStream().forEach(factory::addRouteProviders);
			factory.getServerCustomizers().addAll(serverCustomizers.orderedStream().toList());
			return factory;
		}

		@Bean
		@ConditionalOnSampleContainer(SampleContainer.TOMCAT)
		TomcatReactiveWebServerFactory tomcatReactiveWebServerFactory(
				ObjectProvider<TomcatConnectorCustomizer> connectorCustomizers,
				ObjectProvider<TomcatContextCustomizer> contextCustomizers,
				ObjectProvider<TomcatProtocolHandlerCustomizer<?>> protocolHandlerCustomizers) {
			TomcatReactiveWebServerFactory factory = new TomcatReactiveWebServerFactory();
			factory.getTomcatConnectorCustomizers().addAll(connectorCustomizers.orderedStream().toList());
			factory.getTomcatContextCustomizers().addAll(contextCustomizers.orderedStream().toList());
			factory.getTomcatProtocolHandlerCustomizers().addAll(protocolHandlerCustomizers.orderedStream().toList());
			return factory;
		}

		@Bean
		@ConditionalOnSampleContainer(SampleContainer.JETTY)
		JettyReactiveWebServerFactory jettyReactiveWebServerFactory(
				ObjectProvider<JettyServerCustomizer> serverCustomizers) {
			JettyReactiveWebServerFactory factory = new JettyReactiveWebServerFactory();
			factory.getServerCustomizers().addAll(serverCustomizers.orderedStream().toList());
			return factory;
		}

		@Bean
		@ConditionalOnSampleContainer(SampleContainer.UNDERTOW)
		UndertowReactiveWebServerFactory undertowReactiveWebServerFactory(
				ObjectProvider<UndertowBuilderCustomizer> builderCustomizers) {
			UndertowReactiveWebServerFactory factory = new UndertowReactiveWebServerFactory();
			factory.getBuilderCustomizers().addAll(builderCustomizers.orderedStream().toList());
			return factory;
		}

		// Spring Framework 6.2 picks Tomcat's upgrade whenever Tomcat is on the class
		// path: each server's own.
		@Bean
		@ConditionalOnSampleContainer(SampleContainer.NETTY)
		RequestUpgradeStrategy nettyUpgradeStrategy() {
			return new ReactorNettyRequestUpgradeStrategy();
		}

		@Bean
		@ConditionalOnSampleContainer(SampleContainer.TOMCAT)
		RequestUpgradeStrategy tomcatUpgradeStrategy() {
			return new org.springframework.web.reactive.socket.server.upgrade.TomcatRequestUpgradeStrategy();
		}

		@Bean
		@ConditionalOnSampleContainer(SampleContainer.JETTY)
		RequestUpgradeStrategy jettyUpgradeStrategy() {
			return new org.springframework.web.reactive.socket.server.upgrade.JettyRequestUpgradeStrategy();
		}

		@Bean
		@ConditionalOnSampleContainer(SampleContainer.UNDERTOW)
		@SuppressWarnings("removal")
		RequestUpgradeStrategy undertowUpgradeStrategy() {
			return new org.springframework.web.reactive.socket.server.upgrade.UndertowRequestUpgradeStrategy();
		}

	}

}
