package dev.terminator.autoconfigure;

import dev.terminator.core.HttpTerminator;
import dev.terminator.micrometer.TerminatorMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of {@link TerminatorMetrics}, when Micrometer is in use and the
 * application has an {@link HttpTerminator}.
 */
// After the auto-configuration that makes the MeterRegistry bean, named as each Boot line
// names it: only one exists.
@AutoConfiguration(after = { TerminatorAutoConfiguration.class, ReactiveTerminatorAutoConfiguration.class },
		afterName = {
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean({ HttpTerminator.class, MeterRegistry.class })
public class TerminatorMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	TerminatorMetrics terminatorMetrics(HttpTerminator terminator) {
		return new TerminatorMetrics(terminator);
	}

}
