package dev.terminator.sample;

import io.opentelemetry.sdk.trace.export.SpanExporter;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Writes every sampled span to the log ({@link SpanLog}): the sample has no trace
 * backend. Spring Boot hands each {@link SpanExporter} bean to OpenTelemetry's batch span
 * processor, and flushes it when the application context closes, after the web server's
 * termination.
 */
@Configuration(proxyBeanMethods = false)
class SampleTracingConfiguration {

	@Bean
	SpanExporter spanLog() {
		return new SpanLog();
	}

}
