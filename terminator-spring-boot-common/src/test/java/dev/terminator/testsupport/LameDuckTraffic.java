package dev.terminator.testsupport;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terminator.core.LameDuck;
import dev.terminator.testsupport.RawConnection.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The traffic of clients that have not moved yet, sent to a server in its lame-duck
 * delay: one request on each keep-alive connection opened before the delay, then requests
 * on new connections, paced, for a while. Every response must say
 * {@code Connection: close}.
 *
 * @param requests the requests sent, each answered
 * @param newConnections the connections opened during the delay
 * @param lastResponseAt when the last response was read
 */
public record LameDuckTraffic(int requests, int newConnections, Instant lastResponseAt) {

	/**
	 * Send the traffic, from the calling thread.
	 * @param server the server in its lame-duck delay
	 * @param keepAlive connections opened, and used, before the delay
	 * @param sendingFor how long to send requests on new connections
	 * @param pace the pause between two of them: well below the quiet time, so that the
	 * delay does not end while the client sends
	 * @return what was sent
	 * @throws Exception if a request fails
	 */
	public static LameDuckTraffic send(ServerAddress server, List<RawConnection> keepAlive, Duration sendingFor,
			Duration pace) throws Exception {
		int requests = 0;
		int newConnections = 0;
		Instant lastResponseAt = Instant.now();
		for (RawConnection connection : keepAlive) {
			assertAnsweredWithConnectionClose(connection.get("/hello"));
			requests++;
			lastResponseAt = Instant.now();
			assertThat(connection.awaitClosed(Duration.ofSeconds(5))).as("keep-alive connection closed").isTrue();
		}
		long until = System.nanoTime() + sendingFor.toNanos();
		while (System.nanoTime() < until) {
			try (RawConnection connection = server.connect()) {
				newConnections++;
				assertAnsweredWithConnectionClose(connection.get("/hello"));
				requests++;
				lastResponseAt = Instant.now();
			}
			// Load generation, not synchronisation: a client that keeps arriving.
			Thread.sleep(pace.toMillis());
		}
		return new LameDuckTraffic(requests, newConnections, lastResponseAt);
	}

	private static void assertAnsweredWithConnectionClose(Response response) {
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("hello");
		assertThat(response.asksToClose()).as("lame duck: Connection: close").isTrue();
	}

	/**
	 * Assert that the delay ended because nothing new arrived for the quiet time after
	 * this traffic, long before its maximum, and counted all of it.
	 * @param lameDuck the delay, ended
	 * @param quietTime the quiet time it ran with
	 * @param maximum the shutdown delay
	 */
	public void assertEndedQuietAfterIt(LameDuck lameDuck, Duration quietTime, Duration maximum) {
		assertThat(lameDuck.end()).as("why %s ended", lameDuck).isEqualTo(LameDuck.End.QUIET);
		// The last request arrived before its response was read: a delay that ended
		// quiet after it ended after this.
		assertThat(lameDuck.endedAt()).as("ended after the last request of %s", this).isAfter(this.lastResponseAt);
		assertThat(lameDuck.duration()).as("%s ended early", lameDuck)
			.isGreaterThanOrEqualTo(quietTime)
			.isLessThan(maximum.dividedBy(2));
		assertThat(lameDuck.newConnections()).as("new connections of %s", lameDuck).isEqualTo(this.newConnections);
		// One per request: each request of a keep-alive connection, and the first of
		// each new one.
		assertThat(lameDuck.requests()).as("requests of %s", lameDuck).isEqualTo(this.requests);
	}

	/**
	 * Assert that the endpoint's {@code lameDuck} shows this delay.
	 * @param endpoint the endpoint's answer
	 * @param lameDuck the delay, ended
	 */
	public static void assertShown(JsonNode endpoint, LameDuck lameDuck) {
		JsonNode shown = endpoint.get("lameDuck");
		assertThat(shown.get("startedAt").asText()).isEqualTo(lameDuck.startedAt().toString());
		assertThat(shown.get("endedAt").asText()).isEqualTo(String.valueOf(lameDuck.endedAt()));
		assertThat(shown.get("end").asText()).isEqualTo(String.valueOf(lameDuck.end()));
		assertThat(shown.get("requests").asInt()).isEqualTo(lameDuck.requests());
		assertThat(shown.get("newConnections").asInt()).isEqualTo(lameDuck.newConnections());
		assertThat(shown.get("durationMillis").asLong()).isEqualTo(lameDuck.duration().toMillis());
	}

}
