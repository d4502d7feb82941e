package dev.terminator.autoconfigure;

import dev.terminator.core.HttpTerminator;
import org.apache.catalina.startup.Tomcat;
import org.apache.coyote.http11.Http11NioProtocol;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tracks the connections of embedded Tomcat, when Tomcat is the server in use.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ Tomcat.class, Http11NioProtocol.class })
class TomcatTerminatorConfiguration {

	@Bean
	TomcatTerminatorCustomizer terminatorTomcatCustomizer(HttpTerminator terminator) {
		return new TomcatTerminatorCustomizer(terminator);
	}

}
