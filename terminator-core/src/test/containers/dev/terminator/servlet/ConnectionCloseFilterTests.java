package dev.terminator.servlet;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.terminator.server.BareServer;
import dev.terminator.server.ServerKind;
import dev.terminator.testsupport.RawConnection;
import dev.terminator.testsupport.RawConnection.Response;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link ConnectionCloseFilter} on its own, on every bare container, over real HTTP/1.1
 * connections: a flag the test sets, not the drain, says whether connections are closing.
 */
@Timeout(60)
class ConnectionCloseFilterTests {

	private final AtomicBoolean closing = new AtomicBoolean();

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.server.ServerKind#plain")
	void responsesAskToCloseOnlyWhileConnectionsAreClosing(ServerKind kind) throws Exception {
		try (BareServer server = start(kind)) {
			RawConnection connection = server.connect();
			Response before = connection.get("/hello");
			assertThat(before.body()).isEqualTo("hello");
			assertThat(before.asksToClose()).isFalse();

			this.closing.set(true);
			Response after = connection.get("/hello");
			assertThat(after.body()).isEqualTo("hello");
			assertThat(after.asksToClose()).isTrue();
			assertThat(connection.awaitClosed(Duration.ofSeconds(5))).as("closed by the server after the response")
				.isTrue();
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.server.ServerKind#plain")
	void requestThatBeganBeforeTheFlagGetsTheHeaderWhenItsResponseIsWritten(ServerKind kind) throws Exception {
		try (BareServer server = start(kind)) {
			RawConnection connection = server.connect();
			connection.send("GET", "/held", null);
			await().until(() -> server.servlet().heldInFlight() == 1);

			this.closing.set(true);
			server.servlet().releaseHeld();

			Response response = connection.readResponse();
			assertThat(response.body()).isEqualTo("held");
			assertThat(response.asksToClose()).isTrue();
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.server.ServerKind#plain")
	void errorsRedirectsAndFlushedResponsesAskToCloseToo(ServerKind kind) throws Exception {
		try (BareServer server = start(kind)) {
			this.closing.set(true);
			for (String path : List.of("/error", "/redirect", "/flushed")) {
				try (RawConnection connection = server.connect()) {
					Response response = connection.get(path);
					assertThat(response.asksToClose()).as(path + " (" + response.status() + ")").isTrue();
				}
			}
		}
	}

	private BareServer start(ServerKind kind) throws Exception {
		return kind.start((options) -> options.withClosingConnections(this.closing::get));
	}

}
