package dev.terminator.autoconfigure;

import dev.terminator.core.HttpTerminator;
import dev.terminator.reactive.ReactiveDrainSignal;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnNotWarDeployment;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * Auto-configuration of terminator for reactive (WebFlux) applications on an embedded web
 * server, Reactor Netty or a servlet container: drains the server's connections when the
 * application stops, and offers {@link HttpTerminator} to drain it on demand.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = Type.REACTIVE)
@ConditionalOnNotWarDeployment
@EnableConfigurationProperties(TerminatorProperties.class)
public class ReactiveTerminatorAutoConfiguration {

	// Properties are bound, and so validated, even when the drain is switched off: a typo
	// fails start-up.
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "terminator.enabled", matchIfMissing = true)
	@Import({ TerminatorDrainConfiguration.class, ReactiveServerTrackingConfiguration.class })
	static class DrainConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ReactiveDrainSignal reactiveDrainSignal(HttpTerminator terminator) {
			return new ReactiveDrainSignal(terminator);
		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(
				name = { "org.springframework.http.client.ReactorResourceFactory", "reactor.netty.http.HttpResources" })
		static class ReactorLoopsConfiguration {

			@Bean
			ReactorLoopsAfterDrain terminatorReactorLoopsAfterDrain(HttpTerminator terminator,
					ObjectProvider<ReactorResourceFactory> resourceFactories) {
				return new ReactorLoopsAfterDrain(terminator, resourceFactories);
			}

		}

	}

}
