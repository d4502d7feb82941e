package dev.terminator.server;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.terminator.core.DrainResult;
import dev.terminator.micrometer.TerminatorMetrics;
import dev.terminator.testsupport.RawConnection;
import dev.terminator.testsupport.RawConnection.Response;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The listen socket's accept queue at the drain, on every bare container of the
 * generation under test, plain (TLS changes nothing to it): connections the kernel
 * completed but the server had not accepted yet are served with {@code Connection: close}
 * rather than reset as the listen socket closes.
 */
@Timeout(60)
class AcceptQueueDrainTests {

	private static final int QUEUED = 20;

	static Stream<Arguments> drainingKinds() {
		return ServerKind.plain()
			.filter((kind) -> kind.container().drainsAcceptQueue())
			.flatMap((kind) -> kind.container()
				.acceptorSettings()
				.mapToObj((acceptors) -> Arguments.of(kind, acceptors)));
	}

	@ParameterizedTest(name = "{0}, acceptors {1}")
	@MethodSource("drainingKinds")
	void requestsQueuedBehindTheAcceptorAreServedWithConnectionClose(ServerKind kind, int acceptors) throws Exception {
		// At its connection limit, as in production, the server's acceptor holds off
		// (Tomcat's waits, Jetty's stops accepting) and the kernel queues new
		// connections. No quiet period: the holder is closed at once, while each
		// connection taken from the queue, whose request may still be unread in its
		// receive buffer, is given the wait for a first request.
		try (BareServer server = kind.start(
				(options) -> options.withMaxConnections(1).withAcceptors(acceptors).withQuietPeriod(Duration.ZERO))) {
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			new TerminatorMetrics(server.terminator()).bindTo(registry);
			RawConnection holder = server.connect();
			assertThat(holder.get("/hello").body()).isEqualTo("hello");
			await().until(() -> server.terminator().connections().idleCount() == 1);
			List<RawConnection> queued = new ArrayList<>();
			try {
				for (int i = 0; i < QUEUED; i++) {
					RawConnection connection = server.connect();
					queued.add(connection);
					connection.send("POST", "/echo", "queued " + i);
				}
				assertThat(server.terminator().connections().openCount()).as("nothing accepted beyond the limit")
					.isEqualTo(1);

				DrainResult result = server.terminator().terminate().get(10, TimeUnit.SECONDS);

				List<String> failures = new ArrayList<>();
				for (int i = 0; i < QUEUED; i++) {
					String failure = failure(queued.get(i), "queued " + i);
					if (failure != null) {
						failures.add(i + ": " + failure);
					}
				}
				assertThat(failures).as("queued requests not served with Connection: close").isEmpty();
				assertThat(holder.awaitClosed(Duration.ofSeconds(5))).as("idle connection closed").isTrue();
				assertThat(result.acceptQueue().drained()).isTrue();
				// Exactly: the connections that get the acceptor out of accept()
				// (Tomcat's unlock connection, those terminator makes for Jetty's
				// acceptor threads) are neither served nor counted, wherever they land.
				assertThat(result.acceptQueue().served()).isEqualTo(QUEUED);
				assertThat(registry.get("terminator.connections.queued").functionCounter().count()).isEqualTo(QUEUED);
				// Tracked like any other: each a request completed, the holder closed
				// idle.
				assertThat(result.completed()).isEqualTo(QUEUED);
				assertThat(result.idleClosed()).isEqualTo(1);
			}
			finally {
				// Referenced until here: a socket the GC collects is closed by the JDK.
				for (RawConnection connection : queued) {
					connection.close();
				}
				holder.close();
			}
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.server.ServerKind#plain")
	void drainResultSaysWhetherTheAcceptQueueWasDrained(ServerKind kind) throws Exception {
		try (BareServer server = kind.start((options) -> options.withQuietPeriod(Duration.ZERO))) {
			DrainResult result = server.terminator().terminate().get(10, TimeUnit.SECONDS);
			assertThat(result.acceptQueue().drained()).isEqualTo(kind.container().drainsAcceptQueue());
			assertThat(result.acceptQueue().served()).isZero();
			assertThat(result.idleClosed() + result.completed() + result.forced()).as("connections seen by the drain")
				.isZero();
		}
	}

	// What went wrong with a queued request, or null if it got its full response with
	// Connection: close, then the end of the connection.
	private static @Nullable String failure(RawConnection connection, String body) {
		try {
			Response response = connection.readResponse();
			if (response.status() != 200 || !body.equals(response.body())) {
				return "status " + response.status() + ", body " + response.body();
			}
			if (!response.asksToClose()) {
				return "no Connection: close";
			}
			if (!connection.awaitClosed(Duration.ofSeconds(5))) {
				return "not closed after the response";
			}
			return null;
		}
		catch (IOException ex) {
			return ex.toString();
		}
	}

}
