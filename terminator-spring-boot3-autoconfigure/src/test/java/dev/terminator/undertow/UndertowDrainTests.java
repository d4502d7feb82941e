package dev.terminator.undertow;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import javax.net.ssl.SSLSocket;

import dev.terminator.core.DrainResult;
import dev.terminator.core.HttpTerminator;
import dev.terminator.core.TerminatorState;
import dev.terminator.testsupport.Container;
import dev.terminator.testsupport.RawConnection;
import dev.terminator.testsupport.RawConnection.Response;
import dev.terminator.testsupport.ServerKind;
import dev.terminator.testsupport.TestEndpoints;
import dev.terminator.testsupport.TestServer;
import dev.terminator.testsupport.WebSocketEndpoints;
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

	private static final int GOING_AWAY = 1001;

	private static final int TEXT = 0x1;

	private static final int CLOSE = 0x8;

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

	@ParameterizedTest(name = "{0}")
	@MethodSource("undertow")
	void webSocketWhoseClientWaitsForTheServerToCloseAfterTheCloseHandshakeIsCountedCompleted(ServerKind kind)
			throws Exception {
		try (TestServer server = kind.start(List.of(WebSocketEndpoints.class), "terminator.timeout=10s");
				Socket socket = webSocket(server, "/ws/echo")) {
			DataInputStream in = new DataInputStream(socket.getInputStream());
			// The echo says the session is open, so that the drain finds it to close.
			socket.getOutputStream().write(masked(TEXT, "hello".getBytes(StandardCharsets.UTF_8)));
			assertThat(in.readUnsignedByte()).as("FIN and text opcode").isEqualTo(0x80 | TEXT);
			assertThat(new String(in.readNBytes(in.readUnsignedByte()), StandardCharsets.UTF_8)).isEqualTo("hello");

			CompletableFuture<DrainResult> drain = server.terminator().terminate();
			assertThat(in.readUnsignedByte()).as("FIN and close opcode").isEqualTo(0x80 | CLOSE);
			byte[] payload = in.readNBytes(in.readUnsignedByte());
			assertThat(ByteBuffer.wrap(payload).getShort()).as("close code").isEqualTo((short) GOING_AWAY);
			// Answer the close frame, then wait for the server to close the TCP
			// connection, as RFC 6455 (section 7.1.1) asks of a client: some clients and
			// proxies keep their end open until it does.
			socket.getOutputStream().write(masked(CLOSE, payload));

			DrainResult result = drain.get(5, TimeUnit.SECONDS);
			assertThat(List.of(result.idleClosed(), result.completed(), result.forced())).containsExactly(0, 1, 0);
			assertThat(result.duration()).isLessThan(Duration.ofSeconds(1));
			socket.setSoTimeout(5000);
			assertThat(in.read()).as("end of stream after the close handshake").isEqualTo(-1);
		}
	}

	private static Socket webSocket(TestServer server, String path) throws IOException {
		Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
		if (server.clientTls() != null) {
			SSLSocket tls = (SSLSocket) server.clientTls()
				.getSocketFactory()
				.createSocket(socket, "localhost", server.port(), true);
			tls.startHandshake();
			socket = tls;
		}
		String key = Base64.getEncoder().encodeToString(new byte[16]);
		socket.getOutputStream()
			.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
					+ "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
				.getBytes(StandardCharsets.ISO_8859_1));
		// The handshake's response ends with an empty line; no frame follows it before
		// the drain.
		InputStream in = socket.getInputStream();
		StringBuilder head = new StringBuilder();
		while (!head.toString().endsWith("\r\n\r\n")) {
			int b = in.read();
			assertThat(b).as("handshake response").isNotEqualTo(-1);
			head.append((char) b);
		}
		assertThat(head.toString()).startsWith("HTTP/1.1 101");
		return socket;
	}

	private static byte[] masked(int opcode, byte[] payload) {
		byte[] mask = { 1, 2, 3, 4 };
		byte[] frame = new byte[6 + payload.length];
		frame[0] = (byte) (0x80 | opcode);
		frame[1] = (byte) (0x80 | payload.length);
		System.arraycopy(mask, 0, frame, 2, 4);
		for (int i = 0; i < payload.length; i++) {
			frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
		}
		return frame;
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
