package dev.terminator.undertow;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.terminator.core.DrainResult;
import dev.terminator.core.HttpTerminator;
import dev.terminator.core.TerminatorState;
import dev.terminator.testsupport.Container;
import dev.terminator.testsupport.RawConnection;
import dev.terminator.testsupport.RawConnection.Response;
import dev.terminator.testsupport.ServerKind;
import dev.terminator.testsupport.TestEndpoints;
import dev.terminator.testsupport.TestServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.boot.web.server.GracefulShutdownResult;
import org.springframework.boot.web.server.WebServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What Undertow does differently from the other containers, where its public API sets the
 * limits: the behaviour suite covers the rest.
 */
class UndertowDrainTests {

	static Stream<ServerKind> undertow() {
		return ServerKind.all().filter((kind) -> kind.container() == Container.UNDERTOW);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("undertow")
	void connectionOpenedDuringTheDrainIsServedWithConnectionCloseThenClosed(ServerKind kind) throws Exception {
		try (TestServer server = kind.start("terminator.quiet-period=0s")) {
			TestEndpoints endpoints = server.context().getBean(TestEndpoints.class);
			RawConnection held = server.connect();
			held.send("GET", "/held", null);
			await().until(() -> server.terminator().connections().activeCount() == 1);

			CompletableFuture<DrainResult> drain = server.terminator().terminate();
			await().until(() -> server.terminator().state() == TerminatorState.DRAINING);
			RawConnection late = server.connect();
			Response response = late.get("/hello");
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.body()).isEqualTo("hello");
			assertThat(response.asksToClose()).isTrue();
			assertThat(late.awaitClosed(Duration.ofSeconds(2))).isTrue();

			endpoints.releaseHeld();
			assertThat(held.readResponse().asksToClose()).isTrue();
			DrainResult result = drain.get(5, TimeUnit.SECONDS);
			assertThat(server.terminator().serverName()).isEqualTo("undertow");
			assertThat(result.completed()).isEqualTo(2);
			assertThat(result.forced()).isZero();
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("undertow")
	void requestOnKeepAliveConnectionIsServedNot503WhileTheContextCloses(ServerKind kind) throws Exception {
		try (TestServer server = kind.start("terminator.quiet-period=5s")) {
			HttpTerminator terminator = server.terminator();
			TestEndpoints endpoints = server.context().getBean(TestEndpoints.class);
			RawConnection keepAlive = server.connect();
			assertThat(keepAlive.get("/hello").asksToClose()).isFalse();
			RawConnection held = server.connect();
			held.send("GET", "/held", null);
			await().until(() -> terminator.connections().activeCount() == 1);

			// The shutdown path: the terminator's phase runs before Boot's graceful
			// shutdown, which answers 503.
			CompletableFuture<Void> closing = CompletableFuture.runAsync(server::shutDown);
			await().until(() -> terminator.state() == TerminatorState.DRAINING);
			keepAlive.send("POST", "/echo", "not lost");
			Response response = keepAlive.readResponse();
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.body()).isEqualTo("not lost");
			assertThat(response.asksToClose()).isTrue();
			endpoints.releaseHeld();
			assertThat(held.readResponse().status()).isEqualTo(200);

			closing.get(10, TimeUnit.SECONDS);
			DrainResult result = terminator.drainResult();
			assertThat(result.completed()).isEqualTo(2);
			assertThat(result.forced()).isZero();
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("undertow")
	void connectionThatNeverSentARequestIsInvisibleUntilTheServerStops(ServerKind kind) throws Exception {
		try (TestServer server = kind.start("terminator.quiet-period=0s")) {
			RawConnection silent = server.connect();
			RawConnection used = server.connect();
			assertThat(used.get("/hello").status()).isEqualTo(200);
			await().until(() -> server.terminator().connections().idleCount() == 1);
			assertThat(server.terminator().connections().openCount()).isEqualTo(1);

			DrainResult result = server.terminator().terminate().get(5, TimeUnit.SECONDS);
			assertThat(result.idleClosed()).isEqualTo(1);
			assertThat(used.awaitClosed(Duration.ofSeconds(2))).isTrue();
			// The limit: Undertow reports no connection before its first request, so the
			// drain cannot close it.
			assertThat(silent.awaitClosed(Duration.ofMillis(500))).isFalse();

			server.shutDown();
			assertThat(silent.awaitClosed(Duration.ofSeconds(5))).as("closed when the web server stops").isTrue();
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("undertow")
	void connectionOpenedAfterTheDrainIsServedNot503ByBootsGracefulStep(ServerKind kind) throws Exception {
		try (TestServer server = kind.start("terminator.quiet-period=0s", "server.shutdown=graceful")) {
			server.terminator().drain(Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS);
			// What the context's close does next: Boot's graceful step. Undertow still
			// accepts (it has no public API to close its listen socket alone), so clients
			// keep arriving until the server stops.
			CompletableFuture<GracefulShutdownResult> graceful = new CompletableFuture<>();
			WebServer webServer = ((WebServerApplicationContext) server.context()).getWebServer();
			webServer.shutDownGracefully(graceful::complete);
			graceful.get(5, TimeUnit.SECONDS);
			for (int i = 0; i < 3; i++) {
				try (RawConnection late = server.connect()) {
					late.send("POST", "/echo", "late " + i);
					Response response = late.readResponse();
					assertThat(response.status()).as("request on a connection opened after the drain").isEqualTo(200);
					assertThat(response.body()).isEqualTo("late " + i);
					assertThat(response.asksToClose()).isTrue();
				}
			}
		}
	}

}
