package dev.terminator.autoconfigure;

import dev.terminator.core.HttpTerminator;
import dev.terminator.core.TerminatorSettings;
import dev.terminator.servlet.ConnectionCloseFilter;
import jakarta.servlet.DispatcherType;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnNotWarDeployment;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;

/**
 * Auto-configuration of terminator for servlet applications on an embedded web server: drains the server's
 * connections when the application stops, and offers {@link HttpTerminator} to drain it on demand.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = Type.SERVLET)
// A WAR in an external container runs on a server the application does not own: not ours to drain.
@ConditionalOnNotWarDeployment
@EnableConfigurationProperties(TerminatorProperties.class)
public class TerminatorAutoConfiguration {

	// Properties are bound, and so validated, even when the drain is switched off: a typo fails start-up.
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "terminator.enabled", matchIfMissing = true)
	@Import({ EmbeddedServerTrackingConfiguration.class, WebSocketDrainConfiguration.class })
	static class DrainConfiguration {

		@Bean
		@ConditionalOnMissingBean
		HttpTerminator httpTerminator(TerminatorProperties properties) {
			return new HttpTerminator(new TerminatorSettings(properties.getTimeout(), properties.getShutdownDelay(),
					properties.getQuietPeriod()));
		}

		@Bean
		TerminatorLifecycle terminatorLifecycle(HttpTerminator terminator, ApplicationEventPublisher publisher) {
			terminator.addListener(new ReadinessOnTermination(publisher));
			return new TerminatorLifecycle(terminator);
		}

		@Bean
		static ShutdownPhaseTimeoutPostProcessor terminatorShutdownPhaseTimeoutPostProcessor(
				ObjectProvider<TerminatorProperties> properties) {
			return new ShutdownPhaseTimeoutPostProcessor(properties);
		}

		@Bean
		FilterRegistrationBean<ConnectionCloseFilter> terminatorConnectionCloseFilter(HttpTerminator terminator) {
			FilterRegistrationBean<ConnectionCloseFilter> registration = new FilterRegistrationBean<>(
					new ConnectionCloseFilter(terminator::isClosingConnections));
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
			registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
			return registration;
		}

	}

}
