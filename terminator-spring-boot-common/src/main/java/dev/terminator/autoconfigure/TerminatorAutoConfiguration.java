package dev.terminator.autoconfigure;

import dev.terminator.core.HttpTerminator;
import dev.terminator.servlet.ConnectionCloseFilter;
import jakarta.servlet.DispatcherType;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnNotWarDeployment;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Auto-configuration of terminator for servlet applications on an embedded web server:
 * drains the server's connections when the application stops, and offers
 * {@link HttpTerminator} to drain it on demand.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = Type.SERVLET)
// A WAR in an external container runs on a server the application does not own: not ours
// to drain.
@ConditionalOnNotWarDeployment
@EnableConfigurationProperties(TerminatorProperties.class)
public class TerminatorAutoConfiguration {

	// Properties are bound, and so validated, even when the drain is switched off: a typo
	// fails start-up.
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "terminator.enabled", matchIfMissing = true)
	@Import({ TerminatorDrainConfiguration.class, EmbeddedServerTrackingConfiguration.class,
			WebSocketDrainConfiguration.class })
	static class DrainConfiguration {

		@Bean
		FilterRegistrationBean<ConnectionCloseFilter> terminatorConnectionCloseFilter(HttpTerminator terminator) {
			FilterRegistrationBean<ConnectionCloseFilter> registration = new FilterRegistrationBean<>(
					new ConnectionCloseFilter(terminator::isClosingConnections));
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
			registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
			return registration;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "terminator.enabled", matchIfMissing = true)
	@ConditionalOnClass({ DispatcherServlet.class, WebMvcConfigurer.class })
	static class AsyncRequestConfiguration {

		@Bean
		AsyncRequestTermination terminatorAsyncRequestTermination(TerminatorProperties properties) {
			return new AsyncRequestTermination(properties.getAsync().getEndAfter());
		}

	}

}
