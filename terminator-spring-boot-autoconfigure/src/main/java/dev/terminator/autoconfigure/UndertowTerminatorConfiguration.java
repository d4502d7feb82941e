package dev.terminator.autoconfigure;

import dev.terminator.core.HttpTerminator;
import io.undertow.Undertow;
import io.undertow.servlet.api.DeploymentInfo;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tracks the connections of embedded Undertow, when Undertow is the server in use.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ Undertow.class, DeploymentInfo.class })
class UndertowTerminatorConfiguration {

	@Bean
	UndertowTerminatorCustomizer terminatorUndertowCustomizer(HttpTerminator terminator) {
		return new UndertowTerminatorCustomizer(terminator);
	}

}
