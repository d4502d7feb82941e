package dev.terminator.sample;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.autoconfigure.web.servlet.UndertowServletWebServerFactoryCustomizer;
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

/**
 * The web server factory chosen by {@code sample.container}. With Tomcat, Jetty and Undertow all on the class path
 * Spring Boot would always pick Tomcat; a factory defined here makes its auto-configured factories back off.
 *
 * <p>Each factory is built the way Spring Boot's own auto-configuration builds it, with the container-specific
 * customizer beans applied, so the choice changes nothing but the container. {@code server.*} properties, TLS
 * ({@code server.ssl.*}) included, and every {@code WebServerFactoryCustomizer}, terminator's included, apply as usual.
 */
@Configuration(proxyBeanMethods = false)
class SampleContainerConfiguration {

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

}
