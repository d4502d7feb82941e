package dev.terminator.autoconfigure;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.support.DefaultLifecycleProcessor;

/**
 * Gives the terminator's lifecycle phase a timeout that fits its delay and drain timeout, whatever
 * {@code spring.lifecycle.timeout-per-shutdown-phase} says for the other phases.
 */
class ShutdownPhaseTimeoutPostProcessor implements BeanPostProcessor {

	private static final Log logger = LogFactory.getLog(ShutdownPhaseTimeoutPostProcessor.class);

	private final ObjectProvider<TerminatorProperties> properties;

	ShutdownPhaseTimeoutPostProcessor(ObjectProvider<TerminatorProperties> properties) {
		this.properties = properties;
	}

	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) {
		if (bean instanceof DefaultLifecycleProcessor lifecycleProcessor) {
			Duration timeout = TerminatorLifecycle.phaseTimeout(this.properties.getObject());
			lifecycleProcessor.setTimeoutForShutdownPhase(TerminatorLifecycle.PHASE, timeout.toMillis());
		}
		else if ("lifecycleProcessor".equals(beanName)) {
			logger.warn("The lifecycle processor is a " + bean.getClass().getName()
					+ ", not a DefaultLifecycleProcessor: its shutdown phase timeout must cover terminator.shutdown-delay"
					+ " plus terminator.timeout plus " + TerminatorLifecycle.PHASE_MARGIN.toSeconds() + "s");
		}
		return bean;
	}

}
