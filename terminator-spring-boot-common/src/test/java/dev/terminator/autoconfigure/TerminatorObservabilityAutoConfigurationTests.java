package dev.terminator.autoconfigure;

import dev.terminator.actuate.TerminatorEndpoint;
import dev.terminator.micrometer.TerminatorMetrics;
import dev.terminator.testsupport.SpringBootLine;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the endpoint and the meters are auto-configured, and when not.
 */
class TerminatorObservabilityAutoConfigurationTests {

	private final WebApplicationContextRunner runner = SpringBootLine.embeddedWebServerContextRunner()
		.withConfiguration(AutoConfigurations.of(TerminatorAutoConfiguration.class,
				TerminatorEndpointAutoConfiguration.class, TerminatorMetricsAutoConfiguration.class))
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

}
