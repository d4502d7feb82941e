package dev.terminator.autoconfigure;

import java.time.Duration;

import dev.terminator.core.HttpTerminator;
import dev.terminator.core.TerminatorSettings;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.context.support.DefaultLifecycleProcessor;

/**
 * Gives the terminator's lifecycle phase a timeout that fits the longest termination of
 * the terminator that runs (its settings, not the properties: an application's own
 * {@link HttpTerminator} bean has its own), whatever
 * {@code spring.lifecycle.timeout-per-shutdown-phase} says for the other phases, and caps
 * Spring Boot's graceful shutdown phase, which runs after the drain: by then no
 * connection is left, and the only thing it could wait for is a handler that outlived a
 * forced cut and ignores interruption. When a connector's connections are not tracked
 * ({@link UntrackedConnectors}), Spring Boot's graceful phase is what waits for their
 * requests: it then gets the terminator's timeout instead.
 *
 * <p>
 * The lifecycle processor is created once the web server exists, so the adapters have
 * reported by then.
 */
class ShutdownPhaseTimeoutPostProcessor implements BeanPostProcessor {

	private static final Log logger = LogFactory.getLog(ShutdownPhaseTimeoutPostProcessor.class);

	/**
	 * How long Spring Boot's graceful shutdown phase may wait once the drain is over.
	 * With no connection left, Boot's step ends within milliseconds; it runs into this
	 * cap only when a handler outlived a forced cut, and the JVM's exit then waits for
	 * it, so it is kept short.
	 */
	static final Duration GRACEFUL_PHASE_AFTER_DRAIN = Duration.ofMillis(100);

	private final ObjectProvider<HttpTerminator> terminator;

	private final ObjectProvider<UntrackedConnectors> untrackedConnectors;

	/**
	 * Create an instance.
	 * @param terminator the terminator that runs in the phase: the auto-configured one or
	 * the application's own, whose settings can differ from the properties
	 * @param untrackedConnectors the connectors whose connections are not tracked
	 */
	ShutdownPhaseTimeoutPostProcessor(ObjectProvider<HttpTerminator> terminator,
			ObjectProvider<UntrackedConnectors> untrackedConnectors) {
		this.terminator = terminator;
		this.untrackedConnectors = untrackedConnectors;
	}

	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) {
		if (bean instanceof DefaultLifecycleProcessor lifecycleProcessor) {
			TerminatorSettings settings = this.terminator.getObject().settings();
			lifecycleProcessor.setTimeoutForShutdownPhase(TerminatorLifecycle.PHASE,
					TerminatorLifecycle.phaseTimeout(settings).toMillis());
			lifecycleProcessor.setTimeoutForShutdownPhase(TerminatorLifecycle.BOOT_GRACEFUL_SHUTDOWN_PHASE,
					gracefulPhaseTimeout(settings).toMillis());
		}
		else if (AbstractApplicationContext.LIFECYCLE_PROCESSOR_BEAN_NAME.equals(beanName)) {
			TerminatorSettings settings = this.terminator.getObject().settings();
			Duration phaseTimeout = TerminatorLifecycle.phaseTimeout(settings);
			Duration beyondDelayAndTimeout = phaseTimeout.minus(settings.shutdownDelay()).minus(settings.timeout());
			logger.warn("The lifecycle processor is a " + bean.getClass().getName()
					+ ", not a DefaultLifecycleProcessor: its shutdown phase timeout must cover terminator.shutdown-delay"
					+ " plus terminator.timeout plus " + beyondDelayAndTimeout.toSeconds() + "s ("
					+ phaseTimeout.toMillis() + " ms for the terminator that runs)");
		}
		return bean;
	}

	private Duration gracefulPhaseTimeout(TerminatorSettings settings) {
		UntrackedConnectors untracked = this.untrackedConnectors.getIfAvailable();
		return (untracked == null || untracked.isEmpty()) ? GRACEFUL_PHASE_AFTER_DRAIN : settings.timeout();
	}

}
