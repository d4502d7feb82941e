package dev.terminator.autoconfigure;

import dev.terminator.actuate.TerminatorMetrics;
import dev.terminator.core.HttpTerminator;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of {@link TerminatorMetrics}, when Micrometer is in use and the application has an
 * {@link HttpTerminator}.
 */
@AutoConfiguration(after = { TerminatorAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class })
@ConditionalOnClass({ MeterBinder.class, CompositeMeterRegistryAutoConfiguration.class })
@ConditionalOnBean({ HttpTerminator.class, MeterRegistry.class })
public class TerminatorMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	TerminatorMetrics terminatorMetrics(HttpTerminator terminator) {
		return new TerminatorMetrics(terminator);
	}

}
