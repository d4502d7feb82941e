package dev.terminator.autoconfigure;

import dev.terminator.actuate.TerminatorEndpoint;
import dev.terminator.core.HttpTerminator;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@link TerminatorEndpoint}, when actuator is present, the
 * endpoint is available (exposed and not switched off) and the application has an
 * {@link HttpTerminator}.
 */
@AutoConfiguration(after = { TerminatorAutoConfiguration.class, ReactiveTerminatorAutoConfiguration.class })
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(HttpTerminator.class)
@ConditionalOnAvailableEndpoint(TerminatorEndpoint.class)
public class TerminatorEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	TerminatorEndpoint terminatorEndpoint(HttpTerminator terminator) {
		return new TerminatorEndpoint(terminator);
	}

}
