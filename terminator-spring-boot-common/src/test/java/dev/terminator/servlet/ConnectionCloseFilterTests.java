package dev.terminator.servlet;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.terminator.testsupport.Container;
import dev.terminator.testsupport.RawConnection;
import dev.terminator.testsupport.RawConnection.Response;
import dev.terminator.testsupport.TestEndpoints;
import dev.terminator.testsupport.TestServer;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link ConnectionCloseFilter} on its own, with the drain switched off: the filter is
 * the application's, and a flag the test sets says whether connections are closing. On
 * every container, over real HTTP/1.1 connections.
 */
class ConnectionCloseFilterTests {

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.testsupport.Container#supported")
	void responsesAskToCloseOnlyWhileConnectionsAreClosing(Container container) throws Exception {
		try (TestServer server = start(container)) {
			AtomicBoolean closing = server.context().getBean(Closing.class).flag;
			RawConnection connection = server.connect();
			Response before = connection.get("/hello");
			assertThat(before.body()).isEqualTo("hello");
			assertThat(before.asksToClose()).isFalse();

			closing.set(true);
			Response after = connection.get("/hello");
			assertThat(after.body()).isEqualTo("hello");
			assertThat(after.asksToClose()).isTrue();
			assertThat(connection.awaitClosed(Duration.ofSeconds(5))).as("closed by the server after the response")
				.isTrue();
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.testsupport.Container#supported")
	void requestThatBeganBeforeTheFlagGetsTheHeaderWhenItsResponseIsWritten(Container container) throws Exception {
		try (TestServer server = start(container)) {
			AtomicBoolean closing = server.context().getBean(Closing.class).flag;
			TestEndpoints endpoints = server.context().getBean(TestEndpoints.class);
			RawConnection connection = server.connect();
			connection.send("GET", "/held", null);
			await().until(() -> endpoints.heldInFlight() == 1);

			closing.set(true);
			endpoints.releaseHeld();

			Response response = connection.readResponse();
			assertThat(response.body()).isEqualTo("held");
			assertThat(response.asksToClose()).isTrue();
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.testsupport.Container#supported")
	void errorsRedirectsAndFlushedResponsesAskToCloseToo(Container container) throws Exception {
		try (TestServer server = start(container)) {
			server.context().getBean(Closing.class).flag.set(true);
			for (String path : List.of("/filter/error", "/filter/redirect", "/filter/flushed")) {
				try (RawConnection connection = server.connect()) {
					Response response = connection.get(path);
					assertThat(response.asksToClose()).as(path + " (" + response.status() + ")").isTrue();
				}
			}
		}
	}

	private static TestServer start(Container container) {
		// The drain switched off: no filter of terminator's, only the application's.
		return TestServer.start(container, false, List.of(FilterConfiguration.class), "terminator.enabled=false");
	}

	/**
	 * Whether connections are closing, as the test says.
	 */
	static class Closing {

		final AtomicBoolean flag = new AtomicBoolean();

	}

	@Configuration(proxyBeanMethods = false)
	@Import(FilterEndpoints.class)
	static class FilterConfiguration {

		@Bean
		Closing closing() {
			return new Closing();
		}

		@Bean
		FilterRegistrationBean<ConnectionCloseFilter> applicationsConnectionCloseFilter(Closing closing) {
			FilterRegistrationBean<ConnectionCloseFilter> registration = new FilterRegistrationBean<>(
					new ConnectionCloseFilter(closing.flag::get));
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
			registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
			return registration;
		}

	}

	@RestController
	static class FilterEndpoints {

		@GetMapping("/filter/error")
		void error(HttpServletResponse response) throws IOException {
			response.sendError(503);
		}

		@GetMapping("/filter/redirect")
		void redirect(HttpServletResponse response) throws IOException {
			response.sendRedirect("/hello");
		}

		@GetMapping("/filter/flushed")
		void flushed(HttpServletResponse response) throws IOException {
			response.setContentType("text/plain");
			response.flushBuffer();
		}

	}

}
