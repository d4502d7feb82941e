package dev.terminator.sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.terminator.core.DrainResult;
import dev.terminator.core.HttpTerminator;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * A real Prometheus scrape of the sample app, on a separate management port, before and
 * after a drain with known numbers of idle and active connections.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "management.server.port=0", "management.server.address=127.0.0.1",
				"terminator.quiet-period=0s" })
// Tests switch metrics export off unless asked: the point here is the real Prometheus
// registry and endpoint.
@AutoConfigureMetricsExport
@DirtiesContext
class PrometheusScrapeTests {

	@LocalServerPort
	private int port;

	@LocalManagementPort
	private int managementPort;

	@Autowired
	private HttpTerminator terminator;

	@Test
	void scrapeShowsTheConnectionsThenWhatTheDrainDid() throws Exception {
		List<Socket> idle = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			Socket socket = connect();
			send(socket, "GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n");
			assertThat(readResponse(socket)).startsWith("HTTP/1.1 200").endsWith("hello");
			idle.add(socket);
		}
		Socket held = connect();
		send(held, "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nab");
		await().until(() -> this.terminator.connections().idleCount() == 2
				&& this.terminator.connections().activeCount() == 1);

		String before = scrape();
		System.out.println("Prometheus scrape before the drain:\n" + before);
		assertThat(before).contains("terminator_connections{state=\"idle\"} 2.0",
				"terminator_connections{state=\"active\"} 1.0",
				"terminator_connections_closed_total{reason=\"idle\"} 0.0",
				"terminator_connections_closed_total{reason=\"completed\"} 0.0",
				"terminator_connections_closed_total{reason=\"forced\"} 0.0",
				"terminator_drain_seconds_count{outcome=\"drained\"} 0",
				"terminator_drain_seconds_count{outcome=\"forced\"} 0", "terminator_drain_elapsed_seconds 0.0",
				"terminator_drain_timeout_seconds 30.0", "terminator_shutdown_delay_seconds 0.0");

		CompletableFuture<DrainResult> drain = this.terminator.terminate();
		await().until(() -> this.terminator.connections().idleCount() == 0);
		send(held, "cde");
		assertThat(readResponse(held)).startsWith("HTTP/1.1 200").contains("Connection: close").endsWith("abcde");
		DrainResult result = drain.get(10, TimeUnit.SECONDS);

		String exposition = exposition();
		String after = terminatorLines(exposition);
		System.out.println("Prometheus scrape after the drain:\n" + after);
		assertThat(after).contains("terminator_connections{state=\"idle\"} 0.0",
				"terminator_connections{state=\"active\"} 0.0",
				"terminator_connections_closed_total{reason=\"idle\"} 2.0",
				"terminator_connections_closed_total{reason=\"completed\"} 1.0",
				"terminator_connections_closed_total{reason=\"forced\"} 0.0",
				"terminator_drain_seconds_count{outcome=\"drained\"} 1",
				"terminator_drain_seconds_count{outcome=\"forced\"} 0",
				// The termination's observation, timed by Spring Boot's meter handler:
				// once, beside the drain's own timer.
				"terminator_termination_seconds_count{error=\"none\",outcome=\"drained\",server=\"tomcat\"} 1");
		assertThat(sample(after, "terminator_drain_seconds_sum{outcome=\"drained\"}"))
			.isCloseTo(result.duration().toNanos() / 1e9, within(1e-9));
		assertThat(sample(after, "terminator_drain_elapsed_seconds")).isCloseTo(result.duration().toNanos() / 1e9,
				within(1e-9));
		// The dashboard and the alert rules that ship in docs/ read only what the
		// application exposes: every name of their PromQL is a sample of this scrape,
		// suffix and all (they use no other exporter's metrics).
		Set<String> exposed = MonitoringFiles.sampleNames(exposition);
		assertThat(exposed).contains("terminator_connections", "terminator_drain_seconds_max");
		for (String expression : MonitoringFiles.dashboardExpressions()) {
			assertThat(MonitoringFiles.metricNames(expression)).as("dashboard: %s", expression)
				.isNotEmpty()
				.isSubsetOf(exposed);
		}
		for (String expression : MonitoringFiles.alertRuleExpressions()) {
			assertThat(MonitoringFiles.metricNames(expression)).as("alert rules: %s", expression)
				.isNotEmpty()
				.isSubsetOf(exposed);
		}
		for (Socket socket : idle) {
			socket.close();
		}
		held.close();
	}

	private String scrape() throws Exception {
		return terminatorLines(exposition());
	}

	private String exposition() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.managementPort + "/actuator/prometheus"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return response.body();
	}

	private static String terminatorLines(String exposition) {
		return exposition.lines().filter((line) -> line.contains("terminator_")).collect(Collectors.joining("\n"));
	}

	private static double sample(String scrape, String series) {
		return scrape.lines()
			.filter((line) -> line.startsWith(series + " "))
			.mapToDouble((line) -> Double.parseDouble(line.substring(series.length() + 1)))
			.findFirst()
			.orElseThrow(() -> new AssertionError(series + " not in\n" + scrape));
	}

	private Socket connect() throws IOException {
		Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port);
		socket.setSoTimeout(10_000);
		return socket;
	}

	private static void send(Socket socket, String text) throws IOException {
		OutputStream out = socket.getOutputStream();
		out.write(text.getBytes(StandardCharsets.US_ASCII));
		out.flush();
	}

	/**
	 * Read one response with a Content-Length body.
	 */
	private static String readResponse(Socket socket) throws IOException {
		BufferedReader in = new BufferedReader(
				new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
		StringBuilder response = new StringBuilder();
		int length = 0;
		for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
			response.append(line).append("\r\n");
			if (line.toLowerCase().startsWith("content-length:")) {
				length = Integer.parseInt(line.substring("content-length:".length()).trim());
			}
		}
		response.append("\r\n");
		char[] body = new char[length];
		int read = 0;
		while (read < length) {
			read += in.read(body, read, length - read);
		}
		return response.append(body).toString();
	}

}
