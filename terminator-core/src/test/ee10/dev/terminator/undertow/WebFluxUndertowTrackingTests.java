package dev.terminator.undertow;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.terminator.core.DrainResult;
import dev.terminator.core.HttpTerminator;
import dev.terminator.core.QueuedConnections;
import dev.terminator.core.TerminatorSettings;
import dev.terminator.reactive.ConnectionCloseHttpHandlerDecorator;
import dev.terminator.testsupport.RawConnection;
import dev.terminator.testsupport.ServerAddress;
import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import org.junit.jupiter.api.AfterEach;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.UndertowHttpHandlerAdapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Undertow under Spring WebFlux (Spring Framework 6): a bare Undertow on a
 * {@link DrainableWorker} whose handler is Spring's {@link UndertowHttpHandlerAdapter},
 * its connections tracked by {@link ConnectionTrackingHttpHandlerDecorator}, as the Boot
 * 3.5 glue installs it.
 */
class WebFluxUndertowTrackingTests {

	private HttpTerminator terminator;

	private final CompletableFuture<String> slowBody = new CompletableFuture<>();

	private final CompletableFuture<Void> slowStarted = new CompletableFuture<>();

	// Whether each exchange reached the application on Undertow's IO thread.
	private final List<Boolean> onIoThread = new CopyOnWriteArrayList<>();

	private DrainableWorker worker;

	private Undertow undertow;

	private ServerAddress server;

	private final CompletableFuture<Void> blockStarted = new CompletableFuture<>();

	private final CompletableFuture<Void> blockReleased = new CompletableFuture<>();

	private void start(@Nullable Integer workerThreads, Duration quietPeriod) throws Exception {
		this.terminator = new HttpTerminator(
				new TerminatorSettings(Duration.ofSeconds(10), Duration.ZERO, quietPeriod));
		this.worker = DrainableWorker.create(null, workerThreads);
		UndertowAdapter adapter = new UndertowAdapter(() -> {
			if (this.worker.runs(this.undertow)) {
				this.undertow.stop();
			}
			return QueuedConnections.notDrained();
		});
		this.terminator.install(adapter);
		HttpHandler handler = new ConnectionTrackingHttpHandlerDecorator(adapter)
			.apply(new ConnectionCloseHttpHandlerDecorator(this.terminator::isClosingConnections).apply(this::handle));
		this.undertow = Undertow.builder()
			.setWorker(this.worker.worker())
			.addHttpListener(0, "127.0.0.1")
			.setHandler(new UndertowHttpHandlerAdapter(handler))
			.build();
		this.undertow.start();
		int port = ((InetSocketAddress) this.undertow.getListenerInfo().get(0).getAddress()).getPort();
		this.server = new ServerAddress() {

			@Override
			public int port() {
				return port;
			}

			@Override
			public boolean isTls() {
				return false;
			}

		};
	}

	private Mono<Void> handle(ServerHttpRequest request, ServerHttpResponse response) {
		HttpServerExchange exchange = ServerHttpRequestDecorator.getNativeRequest(request);
		this.onIoThread.add(exchange.isInIoThread());
		if (request.getPath().value().equals("/block")) {
			// Holds the worker thread it runs on, as a blocking handler would.
			this.blockStarted.complete(null);
			this.blockReleased.join();
		}
		if (request.getPath().value().equals("/slow")) {
			this.slowStarted.complete(null);
			return response.writeWith(Mono.fromFuture(this.slowBody)
				.map((body) -> response.bufferFactory().wrap(body.getBytes(StandardCharsets.UTF_8))));
		}
		return response.writeWith(
				Mono.fromSupplier(() -> response.bufferFactory().wrap("hello".getBytes(StandardCharsets.UTF_8))));
	}

	@AfterEach
	void stop() {
		this.slowBody.complete("stopped");
		this.blockReleased.complete(null);
		this.undertow.stop();
		this.worker.shutDownNow();
	}

	@Test
	void idleConnectionsAreClosedAndRequestsInFlightCompleteWithConnectionClose() throws Exception {
		start(null, Duration.ofMillis(200));
		try (RawConnection idle = this.server.connect(); RawConnection busy = this.server.connect()) {
			RawConnection.Response first = idle.get("/hello");
			assertThat(first.body()).isEqualTo("hello");
			assertThat(first.asksToClose()).isFalse();
			busy.send("GET", "/slow", null);
			this.slowStarted.get(5, TimeUnit.SECONDS);
			await().until(() -> this.terminator.connections().idleCount() == 1
					&& this.terminator.connections().activeCount() == 1);
			CompletableFuture<DrainResult> drain = this.terminator.drain(Duration.ofSeconds(10));
			assertThat(idle.awaitClosed(Duration.ofSeconds(3))).isTrue();
			this.slowBody.complete("slow body");
			RawConnection.Response slow = busy.readResponse();
			assertThat(slow.body()).isEqualTo("slow body");
			assertThat(slow.asksToClose()).isTrue();
			assertThat(busy.awaitClosed(Duration.ofSeconds(3))).isTrue();
			DrainResult result = drain.get(5, TimeUnit.SECONDS);
			assertThat(result.idleClosed()).isEqualTo(1);
			assertThat(result.completed()).isEqualTo(1);
			assertThat(result.forced()).isZero();
		}
		// Spring's adapter dispatches every exchange to a worker thread before the
		// handler runs: the tracking cannot rely on the IO thread's serialisation.
		assertThat(this.onIoThread).containsOnly(false);
	}

	@Test
	void aConnectionTurnsActiveAgainForItsNextRequest() throws Exception {
		start(null, Duration.ofMillis(200));
		try (RawConnection connection = this.server.connect()) {
			connection.get("/hello");
			await().until(() -> this.terminator.connections().idleCount() == 1);
			connection.send("GET", "/slow", null);
			this.slowStarted.get(5, TimeUnit.SECONDS);
			await().until(() -> this.terminator.connections().activeCount() == 1);
			assertThat(this.terminator.connections().openCount()).isEqualTo(1);
			this.slowBody.complete("slow body");
			assertThat(connection.readResponse().body()).isEqualTo("slow body");
			await().until(() -> this.terminator.connections().idleCount() == 1);
		}
		await().until(() -> this.terminator.connections().openCount() == 0);
	}

	@Test
	void aRequestParsedButWaitingForAWorkerThreadIsNotClosedAsIdle() throws Exception {
		start(1, Duration.ofSeconds(1));
		try (RawConnection blocker = this.server.connect(); RawConnection waiting = this.server.connect()) {
			waiting.get("/hello");
			await().until(() -> this.terminator.connections().idleCount() == 1);
			blocker.send("GET", "/block", null);
			this.blockStarted.get(5, TimeUnit.SECONDS);
			// Parsed on the IO thread, then queued for the one worker thread, which is
			// busy: the connection looks idle still when its idle close comes due, a
			// quiet period after its first request.
			waiting.send("GET", "/hello", null);
			CompletableFuture<DrainResult> drain = this.terminator.drain(Duration.ofSeconds(10));
			await().during(Duration.ofMillis(1500))
				.atMost(Duration.ofSeconds(3))
				.until(() -> !waiting.awaitClosed(Duration.ofMillis(20)));
			this.blockReleased.complete(null);
			RawConnection.Response response = waiting.readResponse();
			assertThat(response.body()).isEqualTo("hello");
			assertThat(response.asksToClose()).isTrue();
			assertThat(blocker.readResponse().asksToClose()).isTrue();
			assertThat(drain.get(5, TimeUnit.SECONDS).forced()).isZero();
		}
	}

}
