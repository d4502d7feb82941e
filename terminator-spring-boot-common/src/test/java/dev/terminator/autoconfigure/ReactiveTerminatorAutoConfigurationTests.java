package dev.terminator.autoconfigure;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.terminator.actuate.TerminatorEndpoint;
import dev.terminator.core.DrainResult;
import dev.terminator.core.HttpTerminator;
import dev.terminator.core.TerminatorSettings;
import dev.terminator.core.TerminatorState;
import dev.terminator.micrometer.TerminationObservation;
import dev.terminator.micrometer.TerminatorMetrics;
import dev.terminator.reactive.ReactiveDrainSignal;
import dev.terminator.testsupport.InertWebServer;
import dev.terminator.testsupport.SpringBootLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.WebServerFactoryCustomizerBeanPostProcessor;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * When terminator's reactive auto-configuration applies, what it brings on each reactive
 * server, and the start-up warning for a server no adapter covers, on either stack.
 */
@ExtendWith(OutputCaptureExtension.class)
class ReactiveTerminatorAutoConfigurationTests {

	private static final String UNCOVERED = "terminator cannot drain the application's web server";

	private static final String[] SERVER_CUSTOMIZERS = { "terminatorNettyCustomizer",
			"terminatorReactiveTomcatCustomizer", "terminatorReactiveJettyCustomizer" };

	private final ReactiveWebApplicationContextRunner runner = SpringBootLine.embeddedReactiveWebServerContextRunner()
		.withConfiguration(
				AutoConfigurations.of(TerminatorAutoConfiguration.class, ReactiveTerminatorAutoConfiguration.class));

	@Test
	void reactiveApplicationGetsTheTerminatorLifecycleDecoratorAndServerCustomizers() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(HttpTerminator.class)
				.hasSingleBean(TerminatorLifecycle.class)
				.hasSingleBean(TerminationListenerBeans.class)
				.hasSingleBean(ShutdownPhaseTimeoutPostProcessor.class)
				.hasSingleBean(UntrackedConnectors.class)
				.hasBean("terminatorConnectionCloseDecorator")
				.hasBean("terminatorStreamEndingDecorator")
				.hasSingleBean(ReactiveDrainSignal.class);
			for (String customizer : SERVER_CUSTOMIZERS) {
				assertThat(context).hasBean(customizer);
			}
			assertThat(context.getBean(HttpTerminator.class).settings()).isEqualTo(TerminatorSettings.DEFAULTS);
			// Nothing of the servlet stack.
			assertThat(context).doesNotHaveBean(FilterRegistrationBean.class)
				.doesNotHaveBean(AsyncRequestTermination.class)
				.doesNotHaveBean("terminatorTomcatCustomizer")
				.doesNotHaveBean("terminatorJettyCustomizer");
		});
	}

	@Test
	void servletApplicationGetsNothingOfTheReactiveStack() {
		SpringBootLine.embeddedWebServerContextRunner()
			.withConfiguration(
					AutoConfigurations.of(TerminatorAutoConfiguration.class, ReactiveTerminatorAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasSingleBean(HttpTerminator.class)
					.hasSingleBean(TerminatorLifecycle.class)
					.hasSingleBean(FilterRegistrationBean.class)
					.doesNotHaveBean("terminatorConnectionCloseDecorator");
				for (String customizer : SERVER_CUSTOMIZERS) {
					assertThat(context).doesNotHaveBean(customizer);
				}
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
	void offWhenDisabled() {
		this.runner.withPropertyValues("terminator.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(TerminatorProperties.class)
				.doesNotHaveBean(HttpTerminator.class)
				.doesNotHaveBean(TerminatorLifecycle.class)
				.doesNotHaveBean("terminatorConnectionCloseDecorator")
				.doesNotHaveBean("terminatorStreamEndingDecorator")
				.doesNotHaveBean(ReactiveDrainSignal.class)
				.doesNotHaveBean("terminatorNettyCustomizer"));
	}

	@Test
	void invalidPropertyFailsStartUpEvenWhenDisabled() {
		this.runner.withPropertyValues("terminator.enabled=false", "terminator.timeout=-1s")
			.run((context) -> assertThat(context).hasFailed());
	}

	@Test
	void backsOffWhenTheUserDefinesTheTerminator() {
		this.runner.withUserConfiguration(UserTerminatorConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(HttpTerminator.class);
			assertThat(context.getBean(HttpTerminator.class))
				.isSameAs(context.getBean(UserTerminatorConfiguration.class).terminator);
			assertThat(context).hasSingleBean(TerminatorLifecycle.class).hasBean("terminatorConnectionCloseDecorator");
		});
	}

	@Test
	void noServerTrackingWithoutBootsReactiveServerFactories() {
		// Checked both ways: the customizers are there with the factories (the test
		// above), and gone without them.
		SpringBootLine.uncoveredReactiveServerContextRunner()
			.withConfiguration(AutoConfigurations.of(ReactiveTerminatorAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(SpringBootLine.REACTIVE_SERVER_FACTORIES))
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.hasSingleBean(HttpTerminator.class)
					.hasBean("terminatorConnectionCloseDecorator");
				for (String customizer : SERVER_CUSTOMIZERS) {
					assertThat(context).doesNotHaveBean(customizer);
				}
			});
	}

	@Test
	void endpointMetersAndObservationOnTheReactiveStack() {
		this.runner
			.withConfiguration(AutoConfigurations.of(TerminatorEndpointAutoConfiguration.class,
					TerminatorMetricsAutoConfiguration.class, TerminatorObservationAutoConfiguration.class))
			.withConfiguration(AutoConfigurations.of(SpringBootLine.ENDPOINT_AND_METRICS_AUTO_CONFIGURATIONS))
			.withConfiguration(AutoConfigurations.of(SpringBootLine.OBSERVATION_AUTO_CONFIGURATION))
			.withPropertyValues("management.endpoints.web.exposure.include=terminator")
			.run((context) -> assertThat(context).hasSingleBean(TerminatorEndpoint.class)
				.hasSingleBean(TerminatorMetrics.class)
				.hasSingleBean(TerminationObservation.class));
		this.runner
			.withConfiguration(AutoConfigurations.of(TerminatorEndpointAutoConfiguration.class,
					TerminatorMetricsAutoConfiguration.class, TerminatorObservationAutoConfiguration.class))
			.withConfiguration(AutoConfigurations.of(SpringBootLine.ENDPOINT_AND_METRICS_AUTO_CONFIGURATIONS))
			.withConfiguration(AutoConfigurations.of(SpringBootLine.OBSERVATION_AUTO_CONFIGURATION))
			.withPropertyValues("management.endpoints.web.exposure.include=terminator", "terminator.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(TerminatorEndpoint.class)
				.doesNotHaveBean(TerminatorMetrics.class)
				.doesNotHaveBean(TerminationObservation.class));
	}

	@Test
	void lameDuckDelayRefusesTrafficAndTheDrainSignalCompletesAtTheDrain() {
		this.runner.withConfiguration(AutoConfigurations.of(ApplicationAvailabilityAutoConfiguration.class))
			.withPropertyValues("terminator.shutdown-delay=300ms", "terminator.timeout=1s")
			.run((context) -> {
				HttpTerminator terminator = context.getBean(HttpTerminator.class);
				ApplicationAvailability availability = context.getBean(ApplicationAvailability.class);
				CompletableFuture<Void> drainStarted = context.getBean(ReactiveDrainSignal.class)
					.drainStarted()
					.toFuture();
				// What SpringApplication publishes once the application is ready.
				AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
				assertThat(availability.getReadinessState()).isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);

				CompletableFuture<DrainResult> termination = terminator.terminate();
				await().untilAsserted(
						() -> assertThat(availability.getReadinessState()).isEqualTo(ReadinessState.REFUSING_TRAFFIC));
				assertThat(terminator.isClosingConnections()).as("Connection: close during the delay").isTrue();
				assertThat(drainStarted).as("no drain during the delay").isNotDone();
				drainStarted.get(5, TimeUnit.SECONDS);
				assertThat(terminator.state()).isNotEqualTo(TerminatorState.DELAYING);
				termination.get(5, TimeUnit.SECONDS);
			});
	}

	@Test
	void reactiveServerNoAdapterCoversIsNamedOnceAtStartUp(CapturedOutput output) {
		SpringBootLine.uncoveredReactiveServerContextRunner()
			.withConfiguration(AutoConfigurations.of(ReactiveTerminatorAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(HttpTerminator.class));
		assertThat(output.toString().split(UNCOVERED, -1)).hasSize(2);
		assertThat(output).contains(UNCOVERED + ", a " + InertWebServer.class.getName());
	}

	@Test
	void servletServerNoAdapterCoversIsNamedOnceAtStartUp(CapturedOutput output) {
		SpringBootLine.uncoveredServletServerContextRunner()
			.withConfiguration(AutoConfigurations.of(TerminatorAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(HttpTerminator.class));
		assertThat(output.toString().split(UNCOVERED, -1)).hasSize(2);
		assertThat(output).contains(UNCOVERED + ", a " + InertWebServer.class.getName());
	}

	@Test
	void coveredServersAreNotNamed(CapturedOutput output) {
		// Boot's post-processor applies the customizers, as its server auto-configuration
		// registers it.
		SpringBootLine.tomcatReactiveWebServerContextRunner()
			.withBean(WebServerFactoryCustomizerBeanPostProcessor.class)
			.withConfiguration(AutoConfigurations.of(ReactiveTerminatorAutoConfiguration.class))
			.run((context) -> assertThat(context.getBean(HttpTerminator.class).serverName()).isEqualTo("tomcat"));
		SpringBootLine.embeddedWebServerContextRunner()
			.withBean(WebServerFactoryCustomizerBeanPostProcessor.class)
			.withConfiguration(AutoConfigurations.of(TerminatorAutoConfiguration.class))
			.run((context) -> assertThat(context.getBean(HttpTerminator.class).serverName()).isEqualTo("tomcat"));
		assertThat(output).doesNotContain(UNCOVERED);
	}

	@Test
	void noWarningWhenTheDrainIsSwitchedOff(CapturedOutput output) {
		SpringBootLine.uncoveredReactiveServerContextRunner()
			.withConfiguration(AutoConfigurations.of(ReactiveTerminatorAutoConfiguration.class))
			.withPropertyValues("terminator.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).doesNotContain(UNCOVERED);
	}

	@Configuration(proxyBeanMethods = false)
	static class UserTerminatorConfiguration {

		final HttpTerminator terminator = new HttpTerminator(TerminatorSettings.DEFAULTS);

		@Bean
		HttpTerminator userTerminator() {
			return this.terminator;
		}

	}

}
