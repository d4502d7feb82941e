package dev.terminator.autoconfigure;

import dev.terminator.core.HttpTerminator;
import dev.terminator.core.TerminationListener;
import dev.terminator.core.TerminatorSettings;
import dev.terminator.servlet.ConnectionCloseFilter;
import jakarta.servlet.DispatcherType;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
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
	@Import({ EmbeddedServerTrackingConfiguration.class, WebSocketDrainConfiguration.class })
	static class DrainConfiguration {

		@Bean
		@ConditionalOnMissingBean
		HttpTerminator httpTerminator(TerminatorProperties properties) {
			return new HttpTerminator(new TerminatorSettings(properties.getTimeout(), properties.getShutdownDelay(),
					properties.getQuietPeriod()));
		}

		@Bean
		TerminatorLifecycle terminatorLifecycle(HttpTerminator terminator) {
			return new TerminatorLifecycle(terminator);
		}

		@Bean
		TerminationListenerBeans terminatorListenerBeans(HttpTerminator terminator, ApplicationEventPublisher publisher,
				ObjectProvider<TerminationListener> listeners) {
			return new TerminationListenerBeans(terminator, publisher, listeners);
		}

		@Bean
		static ShutdownPhaseTimeoutPostProcessor terminatorShutdownPhaseTimeoutPostProcessor(
				ObjectProvider<HttpTerminator> terminator, ObjectProvider<UntrackedConnectors> untracked) {
			return new ShutdownPhaseTimeoutPostProcessor(terminator, untracked);
		}

		@Bean
		UntrackedConnectors terminatorUntrackedConnectors() {
			return new UntrackedConnectors();
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
