package dev.terminator.autoconfigure;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.context.support.DefaultLifecycleProcessor;

/**
 * Gives the terminator's lifecycle phase a timeout that fits its delay and drain timeout,
 * whatever {@code spring.lifecycle.timeout-per-shutdown-phase} says for the other phases,
 * and caps Spring Boot's graceful shutdown phase, which runs after the drain: by then no
 * connection is left, and the only thing it could wait for is a handler that outlived a
 * forced cut and ignores interruption. When a connector's connections are not tracked
 * ({@link UntrackedConnectors}), Spring Boot's graceful phase is what waits for their
 * requests: it then gets {@code terminator.timeout} instead.
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

	private final ObjectProvider<TerminatorProperties> properties;

	private final ObjectProvider<UntrackedConnectors> untrackedConnectors;

	ShutdownPhaseTimeoutPostProcessor(ObjectProvider<TerminatorProperties> properties,
			ObjectProvider<UntrackedConnectors> untrackedConnectors) {
		this.properties = properties;
		this.untrackedConnectors = untrackedConnectors;
	}

	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) {
		if (bean instanceof DefaultLifecycleProcessor lifecycleProcessor) {
			TerminatorProperties properties = this.properties.getObject();
			lifecycleProcessor.setTimeoutForShutdownPhase(TerminatorLifecycle.PHASE,
					TerminatorLifecycle.phaseTimeout(properties).toMillis());
			lifecycleProcessor.setTimeoutForShutdownPhase(TerminatorLifecycle.BOOT_GRACEFUL_SHUTDOWN_PHASE,
					gracefulPhaseTimeout(properties).toMillis());
		}
		else if (AbstractApplicationContext.LIFECYCLE_PROCESSOR_BEAN_NAME.equals(beanName)) {
			logger.warn("The lifecycle processor is a " + bean.getClass().getName()
					+ ", not a DefaultLifecycleProcessor: its shutdown phase timeout must cover terminator.shutdown-delay"
					+ " plus terminator.timeout plus " + TerminatorLifecycle.PHASE_MARGIN.toSeconds() + "s");
		}
		return bean;
	}

	private Duration gracefulPhaseTimeout(TerminatorProperties properties) {
		UntrackedConnectors untracked = this.untrackedConnectors.getIfAvailable();
		return (untracked == null || untracked.isEmpty()) ? GRACEFUL_PHASE_AFTER_DRAIN : properties.getTimeout();
	}

}
