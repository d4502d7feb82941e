package dev.terminator.autoconfigure;

import dev.terminator.core.HttpTerminator;
import dev.terminator.undertow.TrackingHandlerWrapper;

import org.springframework.boot.web.embedded.undertow.UndertowServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * Puts a {@link TrackingHandlerWrapper} at the root of Undertow's servlet deployment, for each server the factory
 * creates.
 */
class UndertowTerminatorCustomizer implements WebServerFactoryCustomizer<UndertowServletWebServerFactory> {

	private final HttpTerminator terminator;

	UndertowTerminatorCustomizer(HttpTerminator terminator) {
		this.terminator = terminator;
	}

	@Override
	public void customize(UndertowServletWebServerFactory factory) {
		factory.addDeploymentInfoCustomizers((deploymentInfo) -> deploymentInfo
			.addInitialHandlerChainWrapper(TrackingHandlerWrapper.trackWith(this.terminator)));
	}

}
