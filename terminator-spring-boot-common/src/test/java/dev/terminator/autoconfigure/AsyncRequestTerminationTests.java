package dev.terminator.autoconfigure;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

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
 * What {@link AsyncRequestTermination} keeps while the application runs, only the async
 * requests in progress that it would end, however they end; and what it ends: streams and
 * long polls, not single-value results.
 */
class AsyncRequestTerminationTests {

	/**
	 * Long enough for every request to have started before the others are ended.
	 */
	private static final long FINISHING_MILLIS = 3000;

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

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.testsupport.Container#supported")
	void endsStreamsAndLongPollsAndLetsSingleValueResultsFinish(Container container) throws Exception {
		try (TestServer server = TestServer.start(container, false)) {
			AsyncRequestTermination termination = server.context().getBean(AsyncRequestTermination.class);
			AsyncEndpoints endpoints = server.context().getBean(AsyncEndpoints.class);
			// Each stream sends its first item, then nothing for a minute: no write of
			// the application's races the end.
			Map<String, RawConnection> ended = open(server, "/async/sse?events=1000&intervalMillis=60000",
					"/async/emitter?chunks=1000&intervalMillis=60000",
					"/async/sse-entity?events=1000&intervalMillis=60000", "/async/flux-sse", "/async/long-poll",
					"/async/awaited-event");
			Map<String, RawConnection> finishing = open(server, "/async/future?millis=" + FINISHING_MILLIS,
					"/async/mono?millis=" + FINISHING_MILLIS, "/async/callable?millis=" + FINISHING_MILLIS,
					"/async/web-async-task?millis=" + FINISHING_MILLIS,
					"/async/backend-call?millis=" + FINISHING_MILLIS);
			await().until(() -> endpoints.inProgress() == ended.size() + finishing.size());
			// Spring MVC starts the async processing once the handler has returned.
			await().until(() -> termination.inProgress() == ended.size());

			assertThat(termination.endInProgress()).isEqualTo(ended.size());

			for (Map.Entry<String, RawConnection> request : ended.entrySet()) {
				Response response = read(request);
				if (request.getKey().contains("-poll") || request.getKey().contains("-event")) {
					assertThat(response.status()).as(request.getKey()).isEqualTo(503);
				}
				else {
					// The stream's first item was written: it ends cleanly after it.
					assertThat(response.status()).as(request.getKey()).isEqualTo(200);
					assertThat(response.body()).as(request.getKey()).contains(" 0");
				}
			}
			for (Map.Entry<String, RawConnection> request : finishing.entrySet()) {
				Response response = read(request);
				assertThat(response.status()).as(request.getKey()).isEqualTo(200);
				assertThat(response.body()).as(request.getKey())
					.endsWith(" after " + Duration.ofMillis(FINISHING_MILLIS));
			}
			for (RawConnection connection : ended.values()) {
				connection.close();
			}
			for (RawConnection connection : finishing.values()) {
				connection.close();
			}
		}
	}

	private static Response read(Map.Entry<String, RawConnection> request) {
		try {
			return request.getValue().readResponse();
		}
		catch (IOException ex) {
			throw new AssertionError(request.getKey() + ": " + ex, ex);
		}
	}

	private static Map<String, RawConnection> open(TestServer server, String... paths) throws IOException {
		Map<String, RawConnection> connections = new LinkedHashMap<>();
		for (String path : paths) {
			RawConnection connection = server.connect();
			connection.send("GET", path, null);
			connections.put(path, connection);
		}
		return connections;
	}

}
