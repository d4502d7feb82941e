package dev.terminator.autoconfigure;

import java.util.concurrent.TimeUnit;

import dev.terminator.actuate.TerminatorEndpoint;
import dev.terminator.core.HttpTerminator;
import dev.terminator.micrometer.DefaultTerminationObservationConvention;
import dev.terminator.micrometer.TerminationObservation;
import dev.terminator.micrometer.TerminationObservationConvention;
import dev.terminator.micrometer.TerminatorMetrics;
import dev.terminator.testsupport.SpringBootLine;
import dev.terminator.testsupport.TerminationObservations;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the endpoint and the meters are auto-configured, and when not.
 */
class TerminatorObservabilityAutoConfigurationTests {

	private final WebApplicationContextRunner runner = SpringBootLine.embeddedWebServerContextRunner()
		.withConfiguration(
				AutoConfigurations.of(TerminatorAutoConfiguration.class, TerminatorEndpointAutoConfiguration.class,
						TerminatorMetricsAutoConfiguration.class, TerminatorObservationAutoConfiguration.class))
		.withConfiguration(AutoConfigurations.of(SpringBootLine.ENDPOINT_AND_METRICS_AUTO_CONFIGURATIONS));

	@Test
	void endpointWhenExposed() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=terminator")
			.run((context) -> assertThat(context).hasSingleBean(TerminatorEndpoint.class));
	}

	@Test
	void noEndpointWhenNotExposed() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(TerminatorEndpoint.class));
	}

	@Test
	void noEndpointWhenAccessIsNone() {
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=terminator",
					"management.endpoint.terminator.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(TerminatorEndpoint.class));
	}

	@Test
	void metricsWithAMeterRegistry() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(TerminatorMetrics.class));
	}

	@Test
	void noMetricsWithoutAMeterRegistry() {
		SpringBootLine.embeddedWebServerContextRunner()
			.withConfiguration(
					AutoConfigurations.of(TerminatorAutoConfiguration.class, TerminatorMetricsAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(TerminatorMetrics.class));
	}

	@Test
	void neitherWhenTerminatorIsDisabled() {
		this.runner
			.withPropertyValues("terminator.enabled=false", "management.endpoints.web.exposure.include=terminator")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(TerminatorEndpoint.class)
				.doesNotHaveBean(TerminatorMetrics.class));
	}

	@Test
	void observationWithAnObservationRegistry() {
		this.runner.withConfiguration(AutoConfigurations.of(SpringBootLine.OBSERVATION_AUTO_CONFIGURATION))
			.run((context) -> assertThat(context).hasSingleBean(TerminationObservation.class));
	}

	@Test
	void noObservationWithoutAnObservationRegistry() {
		this.runner.run((context) -> assertThat(context).hasNotFailed()
			.doesNotHaveBean(ObservationRegistry.class)
			.doesNotHaveBean(TerminationObservation.class));
	}

	@Test
	void noObservationWithoutMicrometerObservationOnTheClassPath() {
		this.runner.withBean(ObservationRegistry.class, TestObservationRegistry::create)
			.withClassLoader(new FilteredClassLoader(ObservationRegistry.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(TerminationObservation.class));
	}

	@Test
	void observationRegistryBeanSeesTheTerminationOfTheRunningServer() {
		TestObservationRegistry observations = TestObservationRegistry.create();
		this.runner.withBean(ObservationRegistry.class, () -> observations).run((context) -> {
			HttpTerminator terminator = context.getBean(HttpTerminator.class);
			terminator.terminate().get(5, TimeUnit.SECONDS);

			TestObservationRegistryAssert.assertThat(observations)
				.hasSingleObservationThat()
				.hasNameEqualTo("terminator.termination")
				.hasContextualNameEqualTo("terminate " + terminator.serverName())
				.hasBeenStopped()
				.hasLowCardinalityKeyValue("server", terminator.serverName())
				.hasLowCardinalityKeyValue("outcome", "drained");
		});
	}

	@Test
	void observationConventionBeanNamesTheObservation() {
		TestObservationRegistry observations = TestObservationRegistry.create();
		this.runner.withBean(ObservationRegistry.class, () -> observations)
			.withBean(TerminationObservationConvention.class, () -> new DefaultTerminationObservationConvention() {

				@Override
				public String getName() {
					return "shutdown";
				}

			})
			.run((context) -> {
				context.getBean(HttpTerminator.class).terminate().get(5, TimeUnit.SECONDS);

				TestObservationRegistryAssert.assertThat(observations)
					.hasSingleObservationThat()
					.hasNameEqualTo("shutdown")
					.hasBeenStopped();
			});
	}

	@Test
	void noObservationWhenObservationsOfTerminatorAreDisabled() {
		this.runner.withConfiguration(AutoConfigurations.of(SpringBootLine.OBSERVATION_AUTO_CONFIGURATION))
			.withPropertyValues("management.observations.enable.terminator=false")
			.run((context) -> {
				TerminationObservations observations = new TerminationObservations();
				context.getBean(ObservationRegistry.class).observationConfig().observationHandler(observations);

				context.getBean(HttpTerminator.class).terminate().get(5, TimeUnit.SECONDS);

				assertThat(observations.steps()).isEmpty();
			});
	}

	@Test
	void observationThroughSpringBootsRegistry() {
		this.runner.withConfiguration(AutoConfigurations.of(SpringBootLine.OBSERVATION_AUTO_CONFIGURATION))
			.run((context) -> {
				TerminationObservations observations = new TerminationObservations();
				context.getBean(ObservationRegistry.class).observationConfig().observationHandler(observations);

				context.getBean(HttpTerminator.class).terminate().get(5, TimeUnit.SECONDS);

				assertThat(observations.steps()).containsExactly("start terminator.termination", "drain.started",
						"drain.finished", "stop terminator.termination");
			});
	}

}
