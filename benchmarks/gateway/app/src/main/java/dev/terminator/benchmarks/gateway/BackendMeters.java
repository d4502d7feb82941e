package dev.terminator.benchmarks.gateway;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

/**
 * What the gateway sees of its backend, as meters the benchmark reads from
 * {@code /actuator/metrics}: the backend's responses that carry {@code Connection: close}
 * (the gateway's pool then drops that connection instead of reusing it), and the routed
 * requests that failed, by exception ({@code PrematureCloseException}: the backend closed
 * a pooled connection under a request; {@code ConnectException}: the backend refused a
 * new connection).
 */
@Configuration(proxyBeanMethods = false)
class BackendMeters {

	static final String CONNECTION_CLOSE = "gateway.backend.connection.close";

	static final String ERRORS = "gateway.backend.errors";

	/**
	 * Sees the backend's response headers before the gateway removes the hop-by-hop ones
	 * ({@code Connection} among them).
	 */
	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	HttpHeadersFilter connectionCloseCounter(MeterRegistry registry) {
		return new HttpHeadersFilter() {

			@Override
			public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
				String connection = input.getFirst(HttpHeaders.CONNECTION);
				if (connection != null && connection.equalsIgnoreCase("close")) {
					registry.counter(CONNECTION_CLOSE).increment();
				}
				return input;
			}

			@Override
			public boolean supports(Type type) {
				return type == Type.RESPONSE;
			}

		};
	}

	@Bean
	GlobalFilter backendErrorCounter(MeterRegistry registry) {
		return (exchange, chain) -> chain.filter(exchange)
			.doOnError((ex) -> registry.counter(ERRORS, "exception", rootCause(ex).getClass().getSimpleName())
				.increment());
	}

	private static Throwable rootCause(Throwable ex) {
		Throwable cause = ex;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		return cause;
	}

}
