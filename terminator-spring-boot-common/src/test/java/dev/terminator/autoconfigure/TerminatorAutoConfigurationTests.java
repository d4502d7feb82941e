package dev.terminator.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.terminator.core.AdaptiveDelay;
import dev.terminator.core.DrainProgress;
import dev.terminator.core.DrainResult;
import dev.terminator.core.HttpTerminator;
import dev.terminator.core.TerminationListener;
import dev.terminator.core.TerminatorSettings;
import dev.terminator.servlet.ConnectionCloseFilter;
import dev.terminator.testsupport.Container;
import dev.terminator.testsupport.SpringBootLine;
import dev.terminator.testsupport.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.Lifecycle;
import org.springframework.context.LifecycleProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.context.support.DefaultLifecycleProcessor;
import org.springframework.core.annotation.Order;
import org.springframework.web.servlet.DispatcherServlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * When terminator's auto-configuration applies, and how it binds its properties.
 */
@ExtendWith(OutputCaptureExtension.class)
class TerminatorAutoConfigurationTests {

	private final WebApplicationContextRunner runner = SpringBootLine.embeddedWebServerContextRunner()
		.withConfiguration(AutoConfigurations.of(TerminatorAutoConfiguration.class));

	@Test
	void servletApplicationGetsTheTerminatorLifecycleAndFilter() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(HttpTerminator.class)
				.hasSingleBean(TerminatorLifecycle.class)
				.hasBean("terminatorTomcatCustomizer");
			assertThat(context.getBean(FilterRegistrationBean.class).getFilter())
				.isInstanceOf(ConnectionCloseFilter.class);
			assertThat(context.getBean(HttpTerminator.class).settings()).isEqualTo(TerminatorSettings.DEFAULTS);
		});
	}

	@Test
	void noContainerTrackingWithoutBootsServerFactories() {
		// In Spring Boot 4 a container's jar can be there without Boot's module for it:
		// the adapters need both. The customizers of the line's own containers, checked
		// both ways.
		List<String> customizers = Container.supported()
			.map((container) -> terminatorBean(container, "Customizer"))
			.toList();
		this.runner.run((context) -> customizers.forEach((customizer) -> assertThat(context).hasBean(customizer)));
		this.runner.withClassLoader(new FilteredClassLoader(SpringBootLine.SERVER_FACTORIES)).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(HttpTerminator.class);
			customizers.forEach((customizer) -> assertThat(context).doesNotHaveBean(customizer));
		});
	}

	@Test
	void propertiesAreBound() {
		this.runner
			.withPropertyValues("terminator.timeout=10s", "terminator.shutdown-delay=3s",
					"terminator.quiet-period=250ms")
			.run((context) -> assertThat(context.getBean(HttpTerminator.class).settings()).isEqualTo(
					new TerminatorSettings(Duration.ofSeconds(10), Duration.ofSeconds(3), Duration.ofMillis(250))));
	}

	@Test
	void adaptiveDelayIsOffByDefaultAndBoundWhenEnabled() {
		this.runner.withPropertyValues("terminator.shutdown-delay=3s")
			.run((context) -> assertThat(context.getBean(HttpTerminator.class).settings().adaptiveDelay()).isNull());
		this.runner
			.withPropertyValues("terminator.shutdown-delay=10s", "terminator.adaptive-delay.enabled=true",
					"terminator.adaptive-delay.quiet-time=300ms", "terminator.adaptive-delay.minimum=2s")
			.run((context) -> assertThat(context.getBean(HttpTerminator.class).settings().adaptiveDelay())
				.isEqualTo(new AdaptiveDelay(Duration.ofMillis(300), Duration.ofSeconds(2))));
		// The defaults: 1 s of quiet, not before 5 s.
		this.runner.withPropertyValues("terminator.shutdown-delay=10s", "terminator.adaptive-delay.enabled=true")
			.run((context) -> assertThat(context.getBean(HttpTerminator.class).settings().adaptiveDelay())
				.isEqualTo(new AdaptiveDelay(Duration.ofSeconds(1), Duration.ofSeconds(5))));
	}

	@Test
	void webSocketSessionsAreClosedOnDrainUnlessSwitchedOff() {
		// The closers of the line's own containers, checked both ways: a closer checked
		// only for its absence would pass on a line without it.
		List<String> closers = Container.supported()
			.map((container) -> terminatorBean(container, "WebSocketCloser"))
			.toList();
		this.runner.run((context) -> closers.forEach((closer) -> assertThat(context).hasBean(closer)));
		this.runner.withPropertyValues("terminator.websocket.close-on-drain=false").run((context) -> {
			assertThat(context).hasSingleBean(HttpTerminator.class).doesNotHaveBean(SpringWebSocketSessions.class);
			closers.forEach((closer) -> assertThat(context).doesNotHaveBean(closer));
		});
	}

	private static String terminatorBean(Container container, String suffix) {
		String name = container.name();
		return "terminator" + name.charAt(0) + name.substring(1).toLowerCase(Locale.ROOT) + suffix;
	}

	@Test
	void asyncRequestEndAfterIsBound() {
		this.runner.run((context) -> assertThat(context.getBean(TerminatorProperties.class).getAsync().getEndAfter())
			.isEqualTo(Duration.ofSeconds(1)));
		this.runner.withPropertyValues("terminator.async.end-after=250ms")
			.run((context) -> assertThat(context.getBean(TerminatorProperties.class).getAsync().getEndAfter())
				.isEqualTo(Duration.ofMillis(250)));
	}

	@Test
	void springMvcApplicationGetsItsAsyncRequestsEnded() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(AsyncRequestTermination.class));
	}

	@Test
	void noAsyncRequestTerminationWithoutSpringMvc() {
		this.runner.withClassLoader(new FilteredClassLoader(DispatcherServlet.class))
			.run((context) -> assertThat(context).hasSingleBean(HttpTerminator.class)
				.doesNotHaveBean(AsyncRequestTermination.class));
	}

	@Test
	void applicationTerminationListenersAreCalledInOrder() {
		this.runner.withUserConfiguration(UserListenerConfiguration.class).run((context) -> {
			context.getBean(HttpTerminator.class).drain(Duration.ofSeconds(1)).get(5, TimeUnit.SECONDS);
			assertThat(context.getBean(UserListenerConfiguration.class).calls).containsExactly("first drain started",
					"second drain started", "first drain finished", "second drain finished");
		});
	}

	@Test
	void listenerBeansAreRemovedWhenTheirContextGoesAway() {
		this.runner.withUserConfiguration(UserListenerConfiguration.class).run((context) -> {
			// What the context does on close, once the drain is over: a terminator that
			// outlives it tells no bean that went away.
			context.getBean(TerminationListenerBeans.class).destroy();
			context.getBean(HttpTerminator.class).drain(Duration.ofSeconds(1)).get(5, TimeUnit.SECONDS);
			assertThat(context.getBean(UserListenerConfiguration.class).calls).isEmpty();
		});
	}

	@Test
	void lifecycleProcessorThatIsNotADefaultLifecycleProcessorIsNamedWithThePhaseTimeoutItNeeds(CapturedOutput output) {
		this.runner.withUserConfiguration(OwnLifecycleProcessorConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(AbstractApplicationContext.LIFECYCLE_PROCESSOR_BEAN_NAME))
				.isInstanceOf(OwnLifecycleProcessor.class);
			assertThat(output).contains("The lifecycle processor is a " + OwnLifecycleProcessor.class.getName()
					+ ", not a DefaultLifecycleProcessor: its shutdown phase timeout must cover"
					+ " terminator.shutdown-delay plus terminator.timeout plus 5s");
		});
	}

	@Test
	void offWhenDisabled() {
		this.runner.withPropertyValues("terminator.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(HttpTerminator.class)
				.doesNotHaveBean(TerminatorLifecycle.class)
				.doesNotHaveBean(FilterRegistrationBean.class)
				.doesNotHaveBean(AsyncRequestTermination.class));
	}

	@Test
	void absentInWarDeployment() {
		// A web application context with a servlet context from the start: the
		// application runs in a container it was deployed to, which it does not own.
		new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(TerminatorAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(HttpTerminator.class)
				.doesNotHaveBean(TerminatorLifecycle.class));
	}

	@Test
	void absentInNonWebApplication() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(TerminatorAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(HttpTerminator.class)
				.doesNotHaveBean(TerminatorLifecycle.class));
	}

	@Test
	void absentInReactiveApplication() {
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(TerminatorAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(HttpTerminator.class)
				.doesNotHaveBean(TerminatorLifecycle.class));
	}

	@Test
	void backsOffWhenTheUserDefinesTheTerminator() {
		this.runner.withUserConfiguration(UserTerminatorConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(HttpTerminator.class);
			assertThat(context.getBean(HttpTerminator.class))
				.isSameAs(context.getBean(UserTerminatorConfiguration.class).terminator);
			assertThat(context).hasSingleBean(TerminatorLifecycle.class);
		});
	}

	@Test
	void negativeTimeoutFailsNamingTheProperty() {
		this.runner.withPropertyValues("terminator.timeout=-1s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("Field error in object 'terminator' on field 'timeout'")
				.hasStackTraceContaining("must be zero or positive"));
	}

	@Test
	void negativeShutdownDelayFailsNamingTheProperty() {
		this.runner.withPropertyValues("terminator.shutdown-delay=-5s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("Field error in object 'terminator' on field 'shutdownDelay'"));
	}

	@Test
	void adaptiveDelayWithoutAShutdownDelayFailsNamingTheProperty() {
		this.runner.withPropertyValues("terminator.adaptive-delay.enabled=true")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("Field error in object 'terminator' on field 'shutdownDelay'")
				.hasStackTraceContaining("must be positive with terminator.adaptive-delay.enabled"));
	}

	@Test
	void adaptiveDelayMinimumAboveTheShutdownDelayFailsNamingTheProperty() {
		this.runner
			.withPropertyValues("terminator.shutdown-delay=3s", "terminator.adaptive-delay.enabled=true",
					"terminator.adaptive-delay.minimum=4s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("Field error in object 'terminator' on field 'shutdownDelay'")
				.hasStackTraceContaining("must not be shorter than terminator.adaptive-delay.minimum (PT4S)"));
	}

	@Test
	void adaptiveDelayZeroQuietTimeFailsNamingTheProperty() {
		this.runner
			.withPropertyValues("terminator.shutdown-delay=3s", "terminator.adaptive-delay.enabled=true",
					"terminator.adaptive-delay.quiet-time=0s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("Field error in object 'terminator.adaptive-delay' on field 'quietTime'")
				.hasStackTraceContaining("must be positive"));
	}

	@Test
	void startupFailureReportNamesTheShutdownDelayBelowTheAdaptiveMinimum(CapturedOutput output) {
		assertThatException().isThrownBy(() -> TestServer.start(Container.TOMCAT, false, "terminator.shutdown-delay=3s",
				"terminator.adaptive-delay.enabled=true", "terminator.adaptive-delay.minimum=4s"));
		assertThat(output).contains("Property: terminator.shutdownDelay")
			.contains("Value: \"PT3S\"")
			.contains("Origin: \"terminator.shutdown-delay\"")
			.contains("Reason: must not be shorter than terminator.adaptive-delay.minimum (PT4S)");
	}

	@Test
	void negativeAsyncEndAfterFailsNamingTheProperty() {
		this.runner.withPropertyValues("terminator.async.end-after=-1ms")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("Field error in object 'terminator.async' on field 'endAfter'")
				.hasStackTraceContaining("must be zero or positive"));
	}

	@Test
	void startupFailureReportNamesTheNestedProperty(CapturedOutput output) {
		assertThatException()
			.isThrownBy(() -> TestServer.start(Container.TOMCAT, false, "terminator.async.end-after=-1s"));
		assertThat(output).contains("Property: terminator.async.endAfter")
			.contains("Origin: \"terminator.async.end-after\"")
			.contains("Reason: must be zero or positive");
	}

	@Test
	void startupFailureReportNamesTheProperty(CapturedOutput output) {
		assertThatException().isThrownBy(() -> TestServer.start(Container.TOMCAT, false, "terminator.timeout=-1s"));
		assertThat(output).contains("Property: terminator.timeout").contains("Reason: must be zero or positive");
	}

	@Test
	void unparsableDurationFailsNamingTheProperty() {
		this.runner.withPropertyValues("terminator.quiet-period=soon")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("Failed to bind properties under 'terminator.quiet-period'"));
	}

	@Test
	void unparsableSwitchFailsNamingTheProperty() {
		this.runner.withPropertyValues("terminator.enabled=maybe")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("Failed to bind properties under 'terminator.enabled'"));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserListenerConfiguration {

		final List<String> calls = new CopyOnWriteArrayList<>();

		@Bean
		@Order(2)
		TerminationListener secondListener() {
			return listener("second");
		}

		@Bean
		@Order(1)
		TerminationListener firstListener() {
			return listener("first");
		}

		private TerminationListener listener(String name) {
			return new TerminationListener() {

				@Override
				public void drainStarted(DrainProgress progress) {
					UserListenerConfiguration.this.calls.add(name + " drain started");
				}

				@Override
				public void drainFinished(DrainResult result) {
					UserListenerConfiguration.this.calls.add(name + " drain finished");
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnLifecycleProcessorConfiguration {

		@Bean(AbstractApplicationContext.LIFECYCLE_PROCESSOR_BEAN_NAME)
		OwnLifecycleProcessor lifecycleProcessor() {
			return new OwnLifecycleProcessor();
		}

	}

	/**
	 * An application's own lifecycle processor: one whose phase timeouts terminator
	 * cannot set.
	 */
	static class OwnLifecycleProcessor implements LifecycleProcessor, BeanFactoryAware {

		// Without this processor among the beans it stops: this bean is a Lifecycle too,
		// and stopping it would stop the delegate again, without end (a stack overflow on
		// every close, which failed the test when it hit logback's first ThrowableProxy).
		private final DefaultLifecycleProcessor delegate = new DefaultLifecycleProcessor() {

			@Override
			protected Map<String, Lifecycle> getLifecycleBeans() {
				Map<String, Lifecycle> beans = super.getLifecycleBeans();
				beans.values().removeIf((bean) -> bean == OwnLifecycleProcessor.this);
				return beans;
			}

		};

		@Override
		public void setBeanFactory(BeanFactory beanFactory) {
			this.delegate.setBeanFactory(beanFactory);
		}

		@Override
		public void onRefresh() {
			this.delegate.onRefresh();
		}

		@Override
		public void onClose() {
			this.delegate.onClose();
		}

		@Override
		public void start() {
			this.delegate.start();
		}

		@Override
		public void stop() {
			this.delegate.stop();
		}

		@Override
		public boolean isRunning() {
			return this.delegate.isRunning();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserTerminatorConfiguration {

		final HttpTerminator terminator = new HttpTerminator(TerminatorSettings.DEFAULTS);

		@Bean
		HttpTerminator myTerminator() {
			return this.terminator;
		}

	}

}
