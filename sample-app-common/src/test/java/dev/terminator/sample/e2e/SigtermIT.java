package dev.terminator.sample.e2e;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;

import dev.terminator.sample.SampleContainer;
import dev.terminator.sample.SampleStack;
import dev.terminator.testsupport.RawConnection;
import dev.terminator.testsupport.RawConnection.Response;
import dev.terminator.testsupport.RawHttp2Connection;
import dev.terminator.testsupport.ServerAddress;
import dev.terminator.testsupport.Tls;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real SIGTERM to the sample app's jar, seen only from outside the process, as a
 * Kubernetes pod would live it: the lame-duck delay (readiness 503, liveness up, still
 * serving with {@code Connection: close}), then the drain (listen socket closed, idle
 * keep-alive sockets closed at once, the request in flight finished with
 * {@code Connection: close}), then the JVM's exit.
 *
 * <p>
 * Every container runs with TLS from {@code server.ssl.*} and the probes on a separate
 * plain management port (the Kubernetes set-up of {@code docs/kubernetes.md}); Tomcat
 * also runs with the sample's defaults (plain HTTP, probes on the server port). On the
 * reactive stack every server of the sample runs that way too, with HTTP/2 on: there an
 * h2 stream is also in flight at the drain (GOAWAY within a second of it, the response in
 * full), and keep-alive {@code POST} load runs from before SIGTERM until the server
 * refuses connections (no request lost). Each run is one JVM start, so the list is kept
 * short.
 */
class SigtermIT {

	private static final Duration SHUTDOWN_DELAY = Duration.ofSeconds(2);

	private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

	/**
	 * Long enough to be in flight when the drain begins, ends well before the drain
	 * timeout.
	 */
	private static final Duration SLOW_REQUEST = Duration.ofMillis(4500);

	private static final int IDLE_CONNECTIONS = 3;

	/**
	 * How late after the end of the delay the drain may be seen to act: the JVM's
	 * shutdown hook starting, a loaded machine.
	 */
	private static final Duration DRAIN_LATENESS = Duration.ofMillis(1500);

	/**
	 * The exit code of a JVM ended by SIGTERM after its shutdown hooks ran: 128 + 15.
	 * Spring Boot does not change it.
	 */
	private static final int SIGTERM_EXIT_CODE = 143;

	private static final Duration PROMPTLY = Duration.ofSeconds(1);

	private static final int LOAD_CLIENTS = 4;

	/**
	 * Servlet Tomcat plain, and every server of the sample under test, on each stack it
	 * serves, with TLS and the probes on a management port.
	 */
	static Stream<Setup> setups() {
		Stream<Setup> servlet = Stream.of(SampleContainer.values())
			.filter((container) -> container != SampleContainer.NETTY)
			.map((container) -> new Setup(SampleStack.SERVLET, container.name().toLowerCase(Locale.ROOT), true));
		Stream<Setup> reactive = Stream.of(SampleContainer.values())
			.map((container) -> new Setup(SampleStack.REACTIVE, container.name().toLowerCase(Locale.ROOT), true));
		return Stream.of(Stream.of(new Setup(SampleStack.SERVLET, "tomcat", false)), servlet, reactive)
			.flatMap((setups) -> setups);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("setups")
	void sigtermRefusesReadinessThenDrainsThenExits(Setup setup) throws Exception {
		int managementPort = setup.kubernetes() ? freeLoopbackPort() : 0;
		try (SampleAppProcess app = SampleAppProcess.start(setup.logFile(), setup.arguments(managementPort))) {
			int port = app.ports().stream().filter((p) -> p != managementPort).findFirst().orElseThrow();
			SSLContext tls = setup.kubernetes() ? Tls.clientContext() : null;
			Probes probes = setup.kubernetes() ? new Probes(managementPort, null) : new Probes(port, tls);
			assertThat(probes.readiness().status()).isEqualTo(200);
			List<AutoCloseable> connections = new ArrayList<>();
			try {
				List<RawConnection> idle = new ArrayList<>();
				for (int i = 0; i < IDLE_CONNECTIONS; i++) {
					idle.add(keptAlive(port, tls, connections));
				}
				RawConnection pooled = keptAlive(port, tls, connections);
				RawConnection slow = RawConnection.open(port, tls);
				connections.add(slow);
				slow.send("GET", "/slow?millis=" + SLOW_REQUEST.toMillis(), null);
				Http2Stream h2 = null;
				KeepAliveLoad load = null;
				if (setup.reactive()) {
					h2 = Http2Stream.open(port, "/slow?millis=" + SLOW_REQUEST.toMillis());
					connections.add(h2.connection());
					load = KeepAliveLoad.start(port, tls, LOAD_CLIENTS);
					connections.add(load);
				}
				sigtermWithSlowRequestInFlight(setup, app, port, tls, probes, idle, pooled, slow, h2, load);
			}
			finally {
				for (AutoCloseable connection : connections) {
					connection.close();
				}
			}
		}
	}

	private void sigtermWithSlowRequestInFlight(Setup setup, SampleAppProcess app, int port, SSLContext tls,
			Probes probes, List<RawConnection> idle, RawConnection pooled, RawConnection slow, Http2Stream h2,
			KeepAliveLoad load) throws Exception {
		long sigtermAt = System.nanoTime();
		app.sigterm();

		// Lame duck: out of the load balancer, still serving, asking every client to go
		// away.
		await("readiness refused").atMost(SHUTDOWN_DELAY.dividedBy(2))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> probes.readiness().status() == 503);
		Response readiness = probes.readiness();
		assertThat(readiness.status()).isEqualTo(503);
		assertThat(readiness.body()).contains("OUT_OF_SERVICE");
		Response liveness = probes.liveness();
		assertThat(liveness.status()).isEqualTo(200);
		assertThat(liveness.body()).contains("UP");
		try (RawConnection fresh = RawConnection.open(port, tls)) {
			assertServedWithConnectionClose(fresh, "new connection during the delay");
		}
		assertServedWithConnectionClose(pooled, "pooled connection reused during the delay");
		for (RawConnection connection : idle) {
			assertThat(connection.awaitClosed(Duration.ofMillis(1))).as("idle connection open during the delay")
				.isFalse();
		}
		assertThat(since(sigtermAt)).as("lame-duck checks done within the delay").isLessThan(SHUTDOWN_DELAY);

		boolean tracked = setup.adapterPresent();
		boolean servedDuringDrain = false;
		if (tracked) {
			// Drain: the listen socket closes and the idle connections with it, while the
			// slow request runs on.
			for (RawConnection connection : idle) {
				assertThat(connection.awaitClosed(SHUTDOWN_DELAY.plus(DRAIN_LATENESS)))
					.as("idle connection closed when the drain begins")
					.isTrue();
			}
			Duration drainSeen = since(sigtermAt);
			assertThat(drainSeen).as("idle connections closed at the end of the delay")
				.isBetween(SHUTDOWN_DELAY, SHUTDOWN_DELAY.plus(DRAIN_LATENESS));
			assertThat(app.isAlive()).isTrue();
			// Undertow's HTTP/2 channel cannot be reached to send GOAWAY
			// (docs/how-it-works.md, Undertow): there the h2 stream is only checked to
			// complete in full.
			if (h2 != null && !setup.container().equals("undertow")) {
				// The drain began before its idle connections were seen closed.
				await("GOAWAY on the h2 connection").atMost(PROMPTLY)
					.pollInterval(Duration.ofMillis(20))
					.until(() -> !h2.connection().goAways().isEmpty());
				assertThat(since(sigtermAt)).as("GOAWAY within a second of the drain")
					.isLessThan(drainSeen.plus(PROMPTLY));
			}
			servedDuringDrain = connectDuringDrain(setup, port, tls);
			if (setup.kubernetes()) {
				assertThat(probes.readiness().status()).as("readiness during the drain").isEqualTo(503);
				assertThat(probes.liveness().status()).as("liveness during the drain").isEqualTo(200);
			}
		}

		if (load != null) {
			assertThat(load.awaitRefused(Duration.ofSeconds(10)))
				.as("load clients refused once the drain began: %s", load)
				.isTrue();
			assertThat(load.lostOnReusedConnections())
				.as("requests lost on reused connections by the keep-alive load: %s", load)
				.isEmpty();
			assertThat(load.answered()).as("requests answered to the keep-alive load").isPositive();
		}
		Response slowResponse = slow.readResponse();
		Duration slowDone = since(sigtermAt);
		assertThat(slowResponse.status()).isEqualTo(200);
		assertThat(slowResponse.body()).isEqualTo("slow");
		assertThat(slowResponse.asksToClose()).as("Connection: close on the response in flight").isTrue();
		assertThat(slow.awaitClosed(Duration.ofSeconds(2))).as("connection of the request in flight closed").isTrue();
		assertThat(slowDone).as("request in flight outlived the delay").isGreaterThan(SHUTDOWN_DELAY);
		if (h2 != null) {
			await("h2 response").atMost(Duration.ofSeconds(5))
				.pollInterval(Duration.ofMillis(20))
				.until(() -> h2.response() != null);
			RawHttp2Connection.Response response = h2.response();
			assertThat(response.resetCode()).as("h2 stream reset").isEqualTo(-1);
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.body()).as("h2 response in full").isEqualTo("slow");
		}

		int exitCode = app.awaitExit(SHUTDOWN_DELAY.plus(DRAIN_TIMEOUT).plusSeconds(10));
		Duration exited = since(sigtermAt);
		assertThat(exitCode).isEqualTo(SIGTERM_EXIT_CODE);
		assertThat(exited).as("time from SIGTERM to exit").isBetween(slowDone, slowDone.plusSeconds(5));
		assertThat(app.hasLogged("Shutdown delay of " + SHUTDOWN_DELAY.toMillis() + " ms begins")).isTrue();

		if (!tracked) {
			Assumptions.abort("No terminator adapter for " + setup.container() + " in this build: the delay, "
					+ "readiness, Connection: close and exit were checked; idle close, refusal and summary were not");
		}
		if (setup.reactive()) {
			// The load's connections add to the counts, as many as it happened to open.
			assertThat(app.logLine("Drained " + setup.container() + " in "))
				.hasValueSatisfying((summary) -> assertThat(summary).contains(", 0 forced;"));
			return;
		}
		String counts = IDLE_CONNECTIONS + " idle closed, " + (servedDuringDrain ? 2 : 1) + " completed, 0 forced";
		assertThat(app.logLine("Drained " + setup.container() + " in "))
			.hasValueSatisfying((summary) -> assertThat(summary).contains(": " + counts + ";")
				.matches(".*; (\\d+ taken from the accept queue|accept queue not drained \\(\\d+ taken\\))")
				.doesNotContain(setup.container().equals("undertow") ? "taken from" : "not drained"));
	}

	/**
	 * Connect while the drain runs. The listen socket is closed, so the connection is
	 * refused; except on Undertow, which has no public API to close its listen socket
	 * without closing every connection (see {@code docs/how-it-works.md}): there a new
	 * connection may still be accepted, and must then be served with
	 * {@code Connection: close} and closed.
	 * @return whether the connection was accepted and served
	 */
	private static boolean connectDuringDrain(Setup setup, int port, SSLContext tls) throws IOException {
		RawConnection late;
		try {
			late = RawConnection.open(port, tls);
		}
		catch (ConnectException ex) {
			return false;
		}
		try (late) {
			assertThat(setup.container()).as("container that accepts a new connection during the drain")
				.isEqualTo("undertow");
			assertServedWithConnectionClose(late, "new connection during the drain");
			return true;
		}
	}

	private static RawConnection keptAlive(int port, SSLContext tls, List<AutoCloseable> opened) throws IOException {
		RawConnection connection = RawConnection.open(port, tls);
		opened.add(connection);
		Response response = connection.get("/hello");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.asksToClose()).as("Connection: close before SIGTERM").isFalse();
		return connection;
	}

	private static void assertServedWithConnectionClose(RawConnection connection, String description)
			throws IOException {
		Response response = connection.get("/hello");
		assertThat(response.status()).as(description).isEqualTo(200);
		assertThat(response.body()).as(description).isEqualTo("hello");
		assertThat(response.asksToClose()).as(description + ": Connection: close").isTrue();
		assertThat(connection.awaitClosed(Duration.ofSeconds(1))).as(description + ": closed by the server").isTrue();
	}

	private static Duration since(long nanoTime) {
		return Duration.ofNanos(System.nanoTime() - nanoTime);
	}

	private static int freeLoopbackPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	/**
	 * The health groups Kubernetes probes, each on a new connection as the kubelet makes
	 * them.
	 */
	private record Probes(int port, SSLContext tls) {

		Response readiness() throws IOException {
			return get("/actuator/health/readiness");
		}

		Response liveness() throws IOException {
			return get("/actuator/health/liveness");
		}

		private Response get(String path) throws IOException {
			try (RawConnection connection = RawConnection.open(this.port, this.tls)) {
				return connection.get(path);
			}
		}

	}

	/**
	 * An h2 connection over TLS with one stream in flight.
	 */
	private record Http2Stream(RawHttp2Connection connection, int streamId) {

		static Http2Stream open(int port, String path) throws IOException {
			RawHttp2Connection connection = RawHttp2Connection.open(new TlsServer(port));
			return new Http2Stream(connection, connection.get(path));
		}

		RawHttp2Connection.Response response() {
			return this.connection.response(this.streamId);
		}

	}

	private record TlsServer(int port) implements ServerAddress {

		@Override
		public boolean isTls() {
			return true;
		}

	}

	/**
	 * How the sample app runs.
	 *
	 * @param stack the value of {@code sample.stack}
	 * @param container the value of {@code sample.container}
	 * @param kubernetes {@code false}: plain HTTP, probes on the server port;
	 * {@code true}: TLS, probes on a separate plain management port (and HTTP/2 on the
	 * reactive stack)
	 */
	record Setup(SampleStack stack, String container, boolean kubernetes) {

		boolean reactive() {
			return this.stack == SampleStack.REACTIVE;
		}

		List<String> arguments(int managementPort) {
			List<String> arguments = new ArrayList<>(List.of(
					"--sample.stack=" + this.stack.name().toLowerCase(Locale.ROOT),
					"--sample.container=" + this.container, "--server.address=127.0.0.1", "--server.port=0",
					"--spring.main.banner-mode=off", "--terminator.shutdown-delay=" + SHUTDOWN_DELAY.toSeconds() + "s",
					"--terminator.timeout=" + DRAIN_TIMEOUT.toSeconds() + "s"));
			if (this.kubernetes) {
				arguments.addAll(ServerTls.serverArguments());
				arguments.addAll(List.of("--management.server.port=" + managementPort,
						"--management.server.address=127.0.0.1", "--management.server.ssl.enabled=false"));
			}
			if (reactive()) {
				arguments.add("--server.http2.enabled=true");
			}
			return arguments;
		}

		/**
		 * Whether the jar under test has a terminator adapter for the container, in its
		 * package {@code dev.terminator.<name>}. Without one the container runs with the
		 * filter and the lifecycle only.
		 * @return whether the adapter is in the jar
		 */
		boolean adapterPresent() throws IOException {
			return SampleAppProcess.jarContains("dev/terminator/" + this.container + "/");
		}

		Path logFile() {
			return Path.of("target", "e2e", (reactive() ? "reactive-" : "") + this.container
					+ (this.kubernetes ? "-tls-management" : "-plain") + ".log");
		}

		@Override
		public String toString() {
			return (reactive() ? "reactive " : "") + this.container
					+ (this.kubernetes ? ", TLS, probes on a management port" : ", plain, probes on the server port")
					+ (reactive() ? ", h2 and keep-alive load" : "");
		}

	}

}
