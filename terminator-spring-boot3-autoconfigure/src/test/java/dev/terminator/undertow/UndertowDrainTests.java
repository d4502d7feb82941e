package dev.terminator.undertow;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
import io.undertow.Undertow;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xnio.OptionMap;
import org.xnio.Xnio;
import org.xnio.XnioWorker;

import org.springframework.boot.web.embedded.undertow.UndertowServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

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
	void onTheApplicationsOwnWorkerAConnectionOpenedDuringTheDrainIsServedWithConnectionClose(ServerKind kind)
			throws Exception {
		// The limit that remains: Undertow's stop would shut the application's worker
		// down, so terminator leaves the listen socket open.
		try (TestServer server = kind.start(List.of(OwnWorker.class), "terminator.quiet-period=0s")) {
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
	void clientsOpeningNewConnectionsThroughTheContextCloseAreAnsweredOrRefused(ServerKind kind) throws Exception {
		try (TestServer server = kind.start("terminator.quiet-period=0s")) {
			HttpTerminator terminator = server.terminator();
			AtomicInteger answered = new AtomicInteger();
			List<String> lost = new ArrayList<>();
			ExecutorService clients = Executors.newFixedThreadPool(8);
			List<Future<?>> running = new ArrayList<>();
			for (int i = 0; i < 8; i++) {
				int client = i;
				running.add(clients.submit(() -> {
					for (int n = 0;; n++) {
						// DRAINING promises the listen socket is closed: a connection
						// that succeeds after it was accepted before, and its request
						// must be answered. (One in the kernel's backlog at the instant
						// the socket closes is reset: that is why the state is read
						// before connecting.)
						boolean openedWhileDraining = terminator.state() != TerminatorState.RUNNING;
						RawConnection connection;
						try {
							connection = server.connect();
						}
						catch (IOException ex) {
							return null;
						}
						String body = "client " + client + " request " + n;
						try (connection) {
							connection.send("POST", "/echo", body);
							Response response = connection.readResponse();
							if (response.status() == 200 && response.body().equals(body)) {
								answered.incrementAndGet();
								continue;
							}
							synchronized (lost) {
								lost.add(body + " answered " + response.status());
							}
						}
						catch (IOException ex) {
							if (openedWhileDraining) {
								synchronized (lost) {
									lost.add(body + " failed: " + ex);
								}
							}
						}
						if (openedWhileDraining) {
							return null;
						}
					}
				}));
			}
			await().until(() -> answered.get() >= 200);
			server.shutDown();
			for (Future<?> client : running) {
				client.get(30, TimeUnit.SECONDS);
			}
			clients.shutdown();
			assertThat(lost).isEmpty();
			assertThat(terminator.drainResult().forced()).isZero();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnWorker {

		@Bean(destroyMethod = "shutdownNow")
		XnioWorker applicationsWorker() throws IOException {
			return Xnio.getInstance(Undertow.class.getClassLoader()).createWorker(OptionMap.EMPTY);
		}

		// As Boot's auto-configuration adds the application's UndertowBuilderCustomizer
		// beans: before terminator's own customizer runs (the test's factory is a bean of
		// its own, which Boot does not customize).
		@Bean
		WebServerFactoryCustomizer<UndertowServletWebServerFactory> applicationsWorkerCustomizer(
				XnioWorker applicationsWorker) {
			return (factory) -> factory.addBuilderCustomizers((builder) -> builder.setWorker(applicationsWorker));
		}

	}

}
