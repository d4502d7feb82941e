package dev.terminator.autoconfigure;

import dev.terminator.core.HttpTerminator;
import dev.terminator.core.TerminationListener;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the drain needs on either web stack: the {@link HttpTerminator}, its run when the
 * context closes, the application's listeners (readiness and events among them), the
 * lifecycle phase timeouts, the report of connectors it cannot track, and the start-up
 * warning when no adapter covers the application's server. Imported by the servlet and
 * the reactive auto-configuration alike.
 */
@Configuration(proxyBeanMethods = false)
class TerminatorDrainConfiguration {

	@Bean
	@ConditionalOnMissingBean
	HttpTerminator httpTerminator(TerminatorProperties properties) {
		return new HttpTerminator(properties.toSettings());
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

	// Boot 4 has the web server classes in a module of their own, absent from an
	// application on a mock environment only.
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.web.server.WebServer")
	static class UncoveredServerWarningConfiguration {

		@Bean
		UncoveredServerWarning terminatorUncoveredServerWarning(HttpTerminator terminator) {
			return new UncoveredServerWarning(terminator);
		}

	}

}
