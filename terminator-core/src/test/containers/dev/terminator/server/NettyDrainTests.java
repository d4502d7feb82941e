package dev.terminator.server;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.terminator.core.DrainResult;
import dev.terminator.testsupport.RawConnection;
import dev.terminator.testsupport.RawConnection.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the behaviour suites do not reach on Reactor Netty.
 */
@Timeout(60)
class NettyDrainTests {

	private final ServerKind netty = new ServerKind(new NettyFixture(), false);

	@Test
	void connectionTurningIdleDuringTheDrainIsClosedOnceTheQuietPeriodIsOver() throws Exception {
		// A handler chain without the Connection: close decorator's header: the
		// response keeps the connection alive, and the drain must close it as idle.
		Duration quietPeriod = Duration.ofMillis(500);
		try (BareServer server = this.netty
			.start((options) -> options.withClosingConnections(() -> false).withQuietPeriod(quietPeriod))) {
			RawConnection connection = server.connect();
			connection.send("GET", "/held", null);
			await().until(() -> server.servlet().heldInFlight() == 1);

			CompletableFuture<DrainResult> drain = server.terminator().terminate();
			server.servlet().releaseHeld();
			Response response = connection.readResponse();
			long idleSince = System.nanoTime();
			assertThat(response.body()).isEqualTo("held");
			assertThat(response.asksToClose()).isFalse();

			assertThat(connection.awaitClosed(Duration.ofSeconds(5))).as("closed as idle").isTrue();
			assertThat(Duration.ofNanos(System.nanoTime() - idleSince)).isGreaterThan(quietPeriod.minusMillis(100));
			DrainResult result = drain.get(5, TimeUnit.SECONDS);
			assertThat(result.idleClosed()).isEqualTo(1);
			assertThat(result.completed()).isZero();
			assertThat(result.forced()).isZero();
		}
	}

	// Plain; TLS; TLS with ALPN offering h2, where Reactor Netty builds the HTTP/1.1
	// codec only once ALPN has chosen: the byte counter must still see the request's
	// bytes before the codec.
	@ParameterizedTest(name = "tls {0}, h2 offered {1}")
	@CsvSource({ "false, false", "true, false", "true, true" })
	void partialRequestOnAnIdleConnectionIsServedNotClosed(boolean tls, boolean http2) throws Exception {
		try (BareServer server = new ServerKind(new NettyFixture(), tls).start((options) -> {
			ServerOptions quiet = options.withQuietPeriod(Duration.ofSeconds(1));
			return http2 ? quiet.withHttp2() : quiet;
		})) {
			RawConnection connection = server.connect();
			assertThat(connection.get("/hello").body()).isEqualTo("hello");
			await().until(() -> server.terminator().connections().idleCount() == 1);
			// Read by the event loop, its headers not complete: no request yet for
			// Reactor Netty, but bytes since the connection turned idle.
			// Read long before the quiet period is over.
			connection.sendRaw("POST /echo HTTP/1.1\r\nHost: localhost\r\n");

			CompletableFuture<DrainResult> drain = server.terminator().terminate();
			// Once the quiet period is over, the idle close finds the bytes and turns the
			// connection active instead.
			await().atMost(Duration.ofSeconds(3)).until(() -> server.terminator().connections().activeCount() == 1);
			connection.sendRaw("Content-Length: 4\r\n\r\nlate");
			Response response = connection.readResponse();

			assertThat(response.status()).isEqualTo(200);
			assertThat(response.body()).isEqualTo("late");
			assertThat(response.asksToClose()).isTrue();
			DrainResult result = drain.get(5, TimeUnit.SECONDS);
			assertThat(result.completed()).isEqualTo(1);
			assertThat(result.idleClosed()).isZero();
		}
	}

}
