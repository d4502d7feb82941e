package dev.terminator.autoconfigure;

import dev.terminator.core.HttpTerminator;
import dev.terminator.micrometer.TerminationObservation;
import dev.terminator.micrometer.TerminationObservationConvention;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of {@link TerminationObservation}, when the application has an
 * {@link ObservationRegistry} and an {@link HttpTerminator}: each termination becomes an
 * observation, a span when tracing is on. The listener bean is added to the terminator as
 * every {@code TerminationListener} bean is.
 */
// After the auto-configuration that makes the ObservationRegistry bean, named as each
// Boot line names it: only one exists.
@AutoConfiguration(after = { TerminatorAutoConfiguration.class, ReactiveTerminatorAutoConfiguration.class },
		afterName = { "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
				"org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration" })
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean({ HttpTerminator.class, ObservationRegistry.class })
public class TerminatorObservationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	TerminationObservation terminationObservation(HttpTerminator terminator, ObservationRegistry registry,
			ObjectProvider<TerminationObservationConvention> convention) {
		return new TerminationObservation(terminator, registry, convention.getIfAvailable());
	}

}
