package dev.terminator.testsupport;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.terminator.core.ConnectionCounts;
import dev.terminator.testsupport.RawConnection.Response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Known numbers of idle and active connections, and a JSON reader for the actuator.
 */
public final class Connections {

	private static final ObjectMapper json = new ObjectMapper();

	private static final String HELD_BODY_START = "ab";

	private static final String HELD_BODY_END = "cde";

	private Connections() {
	}

	/**
	 * Open connections that each served one request and now wait, idle, for the next.
	 */
	public static List<RawConnection> idle(TestServer server, int count) throws IOException {
		ConnectionCounts counts = server.terminator().connections();
		int idleBefore = counts.idleCount();
		List<RawConnection> connections = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			RawConnection connection = server.connect();
			assertThat(connection.get("/hello").body()).isEqualTo("hello");
			connections.add(connection);
		}
		await().until(() -> counts.idleCount() == idleBefore + count);
		return connections;
	}

	/**
	 * Open connections each with a request in flight that lasts until {@link #release}
	 * sends the rest of its body.
	 */
	public static List<RawConnection> active(TestServer server, int count) throws IOException {
		ConnectionCounts counts = server.terminator().connections();
		int activeBefore = counts.activeCount();
		List<RawConnection> connections = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			RawConnection connection = server.connect();
			connection.sendRaw("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nContent-Length: "
					+ (HELD_BODY_START.length() + HELD_BODY_END.length()) + "\r\n\r\n" + HELD_BODY_START);
			connections.add(connection);
		}
		await().until(() -> counts.activeCount() == activeBefore + count);
		return connections;
	}

	/**
	 * Let a request opened by {@link #active} finish.
	 * @return its response
	 */
	public static Response release(RawConnection held) throws IOException {
		held.sendRaw(HELD_BODY_END);
		Response response = held.readResponse();
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).isEqualTo(HELD_BODY_START + HELD_BODY_END);
		return response;
	}

	public static JsonNode getJson(RawConnection connection, String path) throws IOException {
		Response response = connection.get(path);
		assertThat(response.status()).as("GET %s: %s", path, response.body()).isEqualTo(200);
		return json.readTree(response.body());
	}

	public static Response post(RawConnection connection, String path, String jsonBody) throws IOException {
		StringBuilder request = new StringBuilder("POST ").append(path).append(" HTTP/1.1\r\nHost: localhost\r\n");
		if (jsonBody != null) {
			request.append("Content-Type: application/json\r\nContent-Length: ")
				.append(jsonBody.length())
				.append("\r\n\r\n")
				.append(jsonBody);
		}
		else {
			// No body, but a JSON Content-Type: the operation takes an optional
			// parameter, so Boot maps it as consuming JSON and a POST without a
			// Content-Type gets 415.
			request.append("Content-Type: application/json\r\n\r\n");
		}
		connection.sendRaw(request.toString());
		return connection.readResponse();
	}

	public static JsonNode parse(Response response) throws IOException {
		return json.readTree(response.body());
	}

	public static void assertCounts(JsonNode terminator, int open, int idle, int active) {
		JsonNode connections = terminator.get("connections");
		assertThat(connections.get("open").asInt()).as("open in %s", terminator).isEqualTo(open);
		assertThat(connections.get("idle").asInt()).as("idle in %s", terminator).isEqualTo(idle);
		assertThat(connections.get("active").asInt()).as("active in %s", terminator).isEqualTo(active);
	}

	public static void assertDrain(JsonNode terminator, int idleClosed, int completed, int forced) {
		JsonNode drain = terminator.get("drain");
		assertThat(drain.isObject()).as("drain in %s", terminator).isTrue();
		assertThat(drain.get("idleClosed").asInt()).as("idleClosed in %s", terminator).isEqualTo(idleClosed);
		assertThat(drain.get("completed").asInt()).as("completed in %s", terminator).isEqualTo(completed);
		assertThat(drain.get("forced").asInt()).as("forced in %s", terminator).isEqualTo(forced);
	}

}
