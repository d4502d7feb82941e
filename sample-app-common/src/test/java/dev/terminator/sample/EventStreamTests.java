package dev.terminator.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.terminator.core.DrainResult;
import dev.terminator.core.HttpTerminator;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.annotation.DirtiesContext.ClassMode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's {@code /sse}: its events, its end after the last one, and its end when the
 * drain begins, which the sample does itself.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		// terminator ends nothing itself: an async end-after not shorter than the
		// timeout.
		properties = { "server.address=127.0.0.1", "terminator.timeout=10s", "terminator.async.end-after=10s",
				"terminator.quiet-period=0s" })
// A drained server does not reopen: each test gets its own.
@DirtiesContext(classMode = ClassMode.AFTER_EACH_TEST_METHOD)
class EventStreamTests {

	@LocalServerPort
	private int port;

	@Autowired
	private HttpTerminator terminator;

	@Test
	void streamSendsItsEventsThenEnds() throws Exception {
		List<String> lines = new ArrayList<>();
		open("/sse?events=3&intervalMillis=50").forEachRemaining(lines::add);
		assertThat(lines).containsExactly("id:0", "data:event 0", "", "id:1", "data:event 1", "", "id:2",
				"data:event 2", "");
	}

	@Test
	void streamEndsCleanlyWhenTheDrainBegins() throws Exception {
		Iterator<String> lines = open("/sse?events=1000&intervalMillis=100");
		assertThat(List.of(lines.next(), lines.next(), lines.next())).containsExactly("id:0", "data:event 0", "");

		long start = System.nanoTime();
		CompletableFuture<DrainResult> drain = this.terminator.terminate();
		List<String> rest = new ArrayList<>();
		lines.forEachRemaining(rest::add);
		Duration ended = Duration.ofNanos(System.nanoTime() - start);

		assertThat(rest.size() % 3).as("only whole events in %s", rest).isZero();
		assertThat(ended).isLessThan(Duration.ofSeconds(2));
		DrainResult result = drain.get(5, TimeUnit.SECONDS);
		assertThat(result.forced()).isZero();
		assertThat(result.duration()).isLessThan(Duration.ofSeconds(2));
	}

	private Iterator<String> open(String path) throws Exception {
		HttpResponse<Stream<String>> response = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.build()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build(),
					BodyHandlers.ofLines());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((contentType) -> assertThat(contentType).startsWith("text/event-stream"));
		return response.body().iterator();
	}

}
