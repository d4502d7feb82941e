package dev.terminator.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.terminator.core.HttpTerminator;
import dev.terminator.core.TerminatorSettings;
import dev.terminator.core.UntrackedConnector;
import dev.terminator.testsupport.SpringBootLine;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.context.support.DefaultLifecycleProcessor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shutdown phase timeouts terminator gives the lifecycle processor: taken from the
 * terminator that runs, whoever defined it.
 */
class ShutdownPhaseTimeoutPostProcessorTests {

	private static final TerminatorSettings SIXTY_SECONDS = new TerminatorSettings(Duration.ofSeconds(60),
			Duration.ofSeconds(10), Duration.ofSeconds(2));

	private final WebApplicationContextRunner runner = SpringBootLine.embeddedWebServerContextRunner()
		.withConfiguration(AutoConfigurations.of(TerminatorAutoConfiguration.class))
		.withUserConfiguration(RecordingLifecycleProcessorConfiguration.class);

	@Test
	void terminatorPhaseCoversTheLongestTerminationOfThePropertiesTerminator() {
		this.runner.withPropertyValues("terminator.timeout=20s", "terminator.shutdown-delay=5s")
			.run((context) -> assertThat(context.getBean(RecordingLifecycleProcessor.class).timeouts)
				.containsEntry(TerminatorLifecycle.PHASE, Duration.ofSeconds(30).toMillis()));
	}

	@Test
	void terminatorPhaseCoversTheLongestTerminationOfTheApplicationsOwnTerminator() {
		// The auto-configuration backs off: the properties' 30 s timeout is not the one
		// that runs.
		this.runner.withUserConfiguration(SixtySecondTerminatorConfiguration.class)
			.run((context) -> assertThat(context.getBean(RecordingLifecycleProcessor.class).timeouts)
				.containsEntry(TerminatorLifecycle.PHASE,
						SIXTY_SECONDS.longestTermination().plus(TerminatorLifecycle.PHASE_MARGIN).toMillis())
				.containsEntry(TerminatorLifecycle.BOOT_GRACEFUL_SHUTDOWN_PHASE,
						ShutdownPhaseTimeoutPostProcessor.GRACEFUL_PHASE_AFTER_DRAIN.toMillis()));
	}

	@Test
	void gracefulPhaseOfUntrackedConnectorsGetsTheTimeoutOfTheTerminatorThatRuns() {
		DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
		beanFactory.registerSingleton("terminator", new HttpTerminator(SIXTY_SECONDS));
		UntrackedConnectors untracked = new UntrackedConnectors();
		untracked.addAll(List.of(new UntrackedConnector("Tomcat protocol org.apache.coyote.http11.Http11Nio2Protocol",
				"not the NIO protocol: ")), "set by the test");
		beanFactory.registerSingleton("untracked", untracked);
		RecordingLifecycleProcessor lifecycleProcessor = new RecordingLifecycleProcessor();

		new ShutdownPhaseTimeoutPostProcessor(beanFactory.getBeanProvider(HttpTerminator.class),
				beanFactory.getBeanProvider(UntrackedConnectors.class))
			.postProcessBeforeInitialization(lifecycleProcessor,
					AbstractApplicationContext.LIFECYCLE_PROCESSOR_BEAN_NAME);

		assertThat(lifecycleProcessor.timeouts).containsEntry(TerminatorLifecycle.BOOT_GRACEFUL_SHUTDOWN_PHASE,
				Duration.ofSeconds(60).toMillis());
	}

	@Configuration(proxyBeanMethods = false)
	static class RecordingLifecycleProcessorConfiguration {

		@Bean(AbstractApplicationContext.LIFECYCLE_PROCESSOR_BEAN_NAME)
		RecordingLifecycleProcessor lifecycleProcessor() {
			return new RecordingLifecycleProcessor();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SixtySecondTerminatorConfiguration {

		@Bean
		HttpTerminator myTerminator() {
			return new HttpTerminator(SIXTY_SECONDS);
		}

	}

	/**
	 * Spring's lifecycle processor, which keeps its phase timeouts to itself, recording
	 * those it is given.
	 */
	static class RecordingLifecycleProcessor extends DefaultLifecycleProcessor {

		final Map<Integer, Long> timeouts = new ConcurrentHashMap<>();

		@Override
		public void setTimeoutForShutdownPhase(int phase, long timeout) {
			this.timeouts.put(phase, timeout);
			super.setTimeoutForShutdownPhase(phase, timeout);
		}

	}

}
