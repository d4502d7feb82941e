package dev.terminator.autoconfigure;

import dev.terminator.testsupport.AsyncEndpoints;
import dev.terminator.testsupport.Container;
import dev.terminator.testsupport.RawConnection;
import dev.terminator.testsupport.RawConnection.Response;
import dev.terminator.testsupport.TestServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What {@link AsyncRequestTermination} keeps while the application runs: only the async
 * requests in progress, however they end.
 */
class AsyncRequestTerminationTests {

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.testsupport.Container#supported")
	void forgetsEveryAsyncRequestThatEnded(Container container) throws Exception {
		try (TestServer server = TestServer.start(container, false)) {
			AsyncRequestTermination termination = server.context().getBean(AsyncRequestTermination.class);
			AsyncEndpoints endpoints = server.context().getBean(AsyncEndpoints.class);
			try (RawConnection connection = server.connect()) {
				connection.send("GET", "/async/sse?events=3&intervalMillis=500", null);
				await().until(() -> termination.inProgress() == 1);
				assertThat(connection.readResponse().body()).contains("data:event 2");
				await().until(() -> endpoints.inProgress() == 0);
			}
			assertThat(termination.inProgress()).isZero();
			try (RawConnection connection = server.connect()) {
				// Spring MVC's own timeout: a 503.
				connection.send("GET", "/async/long-poll?timeoutMillis=1000", null);
				await().until(() -> termination.inProgress() == 1);
				Response response = connection.readResponse();
				assertThat(response.status()).isEqualTo(503);
				await().until(() -> termination.inProgress() == 0);
			}
		}
	}

}
