package dev.terminator.jetty;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.terminator.core.DrainResult;
import dev.terminator.core.HttpTerminator;
import dev.terminator.core.TerminatorState;
import dev.terminator.testsupport.Container;
import dev.terminator.testsupport.RawConnection;
import dev.terminator.testsupport.RawConnection.Response;
import dev.terminator.testsupport.SpringBootLine;
import dev.terminator.testsupport.TestEndpoints;
import dev.terminator.testsupport.TestServer;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.H2AsyncClientBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.http.HttpVersion;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * What only Jetty needs: its shutdown idle timeout, its layered TLS connections, its
 * selector-accepted sockets. The drain itself is covered on Jetty by the behaviour suite.
 */
class JettyDrainTests {

	private static final String NO_QUIET_PERIOD = "terminator.quiet-period=0s";

	private static final String FIRST_HALF = "first half, ";

	private static final String SECOND_HALF = "second half";

	@Test
	void uploadStalledLongerThanTheShutdownIdleTimeoutCompletesWhileTheApplicationStops() throws Exception {
		try (TestServer server = TestServer.start(Container.JETTY, false)) {
			HttpTerminator terminator = server.terminator();
			assertThat(connector(server).getShutdownIdleTimeout()).isEqualTo(1000);
			RawConnection upload = startUpload(server);

			// The real shutdown path: terminator's phase, then Spring Boot's graceful
			// shutdown (connector.shutdown()).
			CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::close);
			await().until(() -> terminator.state() == TerminatorState.DRAINING);
			assertThat(upload.awaitClosed(Duration.ofMillis(1500))).as("cut by an idle timeout").isFalse();
			upload.sendRaw(SECOND_HALF);
			Response response = upload.readResponse();
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.body()).isEqualTo(FIRST_HALF + SECOND_HALF);
			assertThat(response.asksToClose()).isTrue();
			stopping.get(10, TimeUnit.SECONDS);
			DrainResult result = terminator.drainResult();
			assertThat(result.completed()).isEqualTo(1);
			assertThat(result.forced()).isZero();
		}
	}

	@Test
	void jettysOwnConnectorShutdownFailsTheSameUpload() throws Exception {
		// The pitfall terminator avoids (jetty/jetty.project#11515): should this fail,
		// Jetty no longer has it.
		try (TestServer server = TestServer.start(Container.JETTY, false)) {
			RawConnection upload = startUpload(server);

			long start = System.nanoTime();
			connector(server).shutdown();
			int status = statusOrFailure(upload);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
			assertThat(status).isNotEqualTo(200);
		}
	}

	@Test
	void tlsSocketCountsOnceWhateverConnectionsJettyLayersOnIt() throws Exception {
		try (TestServer server = TestServer.start(Container.JETTY, true, NO_QUIET_PERIOD)) {
			HttpTerminator terminator = server.terminator();
			List<RawConnection> connections = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				RawConnection connection = server.connect();
				assertThat(connection.get("/hello").body()).isEqualTo("hello");
				connections.add(connection);
			}
			// Handshake only: a socket that never sends a request is a connection too.
			connections.add(server.connect());
			ServerConnector connector = connector(server);
			await().until(() -> connector.getConnectedEndPoints().size() == 4);
			for (EndPoint endPoint : connector.getConnectedEndPoints()) {
				Connection network = endPoint.getConnection();
				assertThat(network).isInstanceOf(SslConnection.class);
				assertThat(((SslConnection) network).getSslEndPoint().getConnection()).isNotSameAs(network).isNotNull();
			}
			assertThat(terminator.connections().openCount()).isEqualTo(4);
			assertThat(terminator.connections().idleCount()).isEqualTo(4);

			DrainResult result = terminator.terminate().get(5, TimeUnit.SECONDS);
			for (RawConnection connection : connections) {
				assertThat(connection.awaitClosed(Duration.ofSeconds(1))).isTrue();
			}
			assertThat(result.idleClosed()).isEqualTo(4);
			assertThat(result.forced()).isZero();
			assertThat(terminator.connections().openCount()).isZero();
		}
	}

	@Test
	void http2SocketStaysOpenUntilItsLastStreamEnds() throws Exception {
		try (TestServer server = TestServer.start(Container.JETTY, true, "server.http2.enabled=true", NO_QUIET_PERIOD);
				CloseableHttpAsyncClient client = H2AsyncClientBuilder.create()
					.setTlsStrategy(ClientTlsStrategyBuilder.create().setSslContext(server.clientTls()).buildAsync())
					.build()) {
			client.start();
			assertThat(client.execute(SimpleRequestBuilder.get(server.uri("/hello")).build(), null)
				.get(10, TimeUnit.SECONDS)
				.getVersion()).isEqualTo(HttpVersion.HTTP_2);
			// SslConnection, then ALPN's negotiating connection replaced by the HTTP/2
			// one: still one socket.
			assertThat(server.terminator().connections().openCount()).isEqualTo(1);
			List<Future<SimpleHttpResponse>> streams = new ArrayList<>();
			for (long millis : new long[] { 300, 2500, 3000 }) {
				streams
					.add(client.execute(SimpleRequestBuilder.get(server.uri("/slow?millis=" + millis)).build(), null));
			}
			TestEndpoints endpoints = server.context().getBean(TestEndpoints.class);
			await().until(() -> endpoints.slowInFlight() == 3);
			assertThat(server.terminator().connections().openCount()).isEqualTo(1);
			assertThat(server.terminator().connections().activeCount()).isEqualTo(1);
			assertThat(streams.get(0).get(10, TimeUnit.SECONDS).getCode()).isEqualTo(200);
			// Two streams still run on the socket: it stays active.
			await().during(Duration.ofMillis(500))
				.atMost(Duration.ofSeconds(1))
				.until(() -> server.terminator().connections().activeCount() == 1);

			CompletableFuture<DrainResult> drain = server.terminator().terminate();
			for (Future<SimpleHttpResponse> stream : streams) {
				SimpleHttpResponse response = stream.get(10, TimeUnit.SECONDS);
				assertThat(response.getCode()).isEqualTo(200);
				assertThat(response.getBodyText()).isEqualTo("slow");
			}
			DrainResult result = drain.get(5, TimeUnit.SECONDS);
			assertThat(result.idleClosed() + result.completed()).isEqualTo(1);
			assertThat(result.forced()).isZero();
		}
	}

	@Test
	void partlyReceivedRequestIsServedRatherThanClosedAsIdle() throws Exception {
		try (TestServer server = TestServer.start(Container.JETTY, false, NO_QUIET_PERIOD)) {
			RawConnection connection = server.connect();
			connection.sendRaw("GET /hello HTTP/1.1\r\nHost: localhost\r\n");
			ServerConnector connector = connector(server);
			await().until(() -> connector.getConnectedEndPoints()
				.stream()
				.anyMatch((endPoint) -> endPoint.getConnection().getBytesIn() > 0));

			CompletableFuture<DrainResult> drain = server.terminator().terminate();
			await().until(() -> server.terminator().connections().activeCount() == 1);
			assertThat(connection.awaitClosed(Duration.ofMillis(300))).as("closed while half received").isFalse();
			connection.sendRaw("\r\n");
			Response response = connection.readResponse();
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.asksToClose()).isTrue();
			assertThat(connection.awaitClosed(Duration.ofSeconds(2))).isTrue();
			DrainResult result = drain.get(5, TimeUnit.SECONDS);
			assertThat(result.completed()).isEqualTo(1);
			assertThat(result.idleClosed()).isZero();
		}
	}

	@Test
	void listenSocketClosesWhenTheSelectorAccepts() throws Exception {
		try (TestServer server = TestServer.start(Container.JETTY, false, NO_QUIET_PERIOD,
				"server.jetty.threads.acceptors=0")) {
			assertThat(connector(server).getAcceptors()).isZero();
			int port = server.port();
			RawConnection idle = server.connect();
			assertThat(idle.get("/hello").status()).isEqualTo(200);

			DrainResult result = server.terminator().terminate().get(5, TimeUnit.SECONDS);
			assertThat(result.idleClosed()).isEqualTo(1);
			assertThat(idle.awaitClosed(Duration.ofSeconds(1))).isTrue();
			assertThatExceptionOfType(ConnectException.class)
				.isThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close());
		}
	}

	/**
	 * Start a POST to {@code /echo} that sends half its body: the handler is running,
	 * blocked reading the rest.
	 */
	private static RawConnection startUpload(TestServer server) throws IOException {
		RawConnection upload = server.connect();
		upload.sendRaw("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nContent-Length: "
				+ (FIRST_HALF.length() + SECOND_HALF.length()) + "\r\n\r\n" + FIRST_HALF);
		await().until(() -> server.terminator().connections().activeCount() == 1);
		return upload;
	}

	private static ServerConnector connector(TestServer server) {
		return (ServerConnector) SpringBootLine.jettyServer(server.context()).getConnectors()[0];
	}

	private static int statusOrFailure(RawConnection connection) {
		try {
			return connection.readResponse().status();
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

}
