package dev.terminator.autoconfigure;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.support.DefaultLifecycleProcessor;

/**
 * Gives the terminator's lifecycle phase a timeout that fits its delay and drain timeout, whatever
 * {@code spring.lifecycle.timeout-per-shutdown-phase} says for the other phases, and caps Spring Boot's graceful
 * shutdown phase, which runs after the drain: by then no connection is left, and the only thing it could wait for is
 * a handler that outlived a forced cut and ignores interruption.
 */
class ShutdownPhaseTimeoutPostProcessor implements BeanPostProcessor {

	private static final Log logger = LogFactory.getLog(ShutdownPhaseTimeoutPostProcessor.class);

	/**
	 * How long Spring Boot's graceful shutdown phase may wait once the drain is over. With no connection left, Boot's
	 * step ends within milliseconds; it runs into this cap only when a handler outlived a forced cut, and the JVM's
	 * exit then waits for it, so it is kept short.
	 */
	static final Duration GRACEFUL_PHASE_AFTER_DRAIN = Duration.ofMillis(100);

	private final ObjectProvider<TerminatorProperties> properties;

	ShutdownPhaseTimeoutPostProcessor(ObjectProvider<TerminatorProperties> properties) {
		this.properties = properties;
	}

	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) {
		if (bean instanceof DefaultLifecycleProcessor lifecycleProcessor) {
			Duration timeout = TerminatorLifecycle.phaseTimeout(this.properties.getObject());
			lifecycleProcessor.setTimeoutForShutdownPhase(TerminatorLifecycle.PHASE, timeout.toMillis());
			lifecycleProcessor.setTimeoutForShutdownPhase(TerminatorLifecycle.BOOT_GRACEFUL_SHUTDOWN_PHASE,
					GRACEFUL_PHASE_AFTER_DRAIN.toMillis());
		}
		else if ("lifecycleProcessor".equals(beanName)) {
			logger.warn("The lifecycle processor is a " + bean.getClass().getName()
					+ ", not a DefaultLifecycleProcessor: its shutdown phase timeout must cover terminator.shutdown-delay"
					+ " plus terminator.timeout plus " + TerminatorLifecycle.PHASE_MARGIN.toSeconds() + "s");
		}
		return bean;
	}

}
