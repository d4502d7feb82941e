package dev.terminator;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.terminator.core.DrainResult;
import dev.terminator.core.TerminatorState;
import dev.terminator.testsupport.Container;
import dev.terminator.testsupport.TestEndpoints;
import dev.terminator.testsupport.TestServer;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.H2AsyncClientBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.http.HttpVersion;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * HTTP/2 over TLS: a request in flight finishes during the drain, and no {@code Connection} header, forbidden in
 * HTTP/2, is ever sent. The client is Apache HttpClient's: the JDK 17 client fails every open stream on any GOAWAY,
 * even a graceful one (fixed in later JDKs).
 */
class Http2Tests {

	@ParameterizedTest
	@MethodSource("dev.terminator.testsupport.Container#supported")
	void requestInFlightFinishesWithoutConnectionHeader(Container container) throws Exception {
		try (TestServer server = TestServer.start(container, true, "server.http2.enabled=true",
				"terminator.quiet-period=0s", "terminator.timeout=10s");
				CloseableHttpAsyncClient client = H2AsyncClientBuilder.create()
					.setTlsStrategy(ClientTlsStrategyBuilder.create().setSslContext(server.clientTls()).buildAsync())
					.build()) {
			client.start();
			SimpleHttpResponse warmUp = client.execute(SimpleRequestBuilder.get(server.uri("/hello")).build(), null)
				.get(10, TimeUnit.SECONDS);
			assertThat(warmUp.getVersion()).isEqualTo(HttpVersion.HTTP_2);

			Future<SimpleHttpResponse> slow = client
				.execute(SimpleRequestBuilder.get(server.uri("/slow?millis=1500")).build(), null);
			TestEndpoints endpoints = server.context().getBean(TestEndpoints.class);
			await().until(() -> endpoints.slowInFlight() == 1);
			CompletableFuture<DrainResult> drain = server.terminator().terminate();
			await().until(() -> server.terminator().state() != TerminatorState.RUNNING);

			SimpleHttpResponse response = slow.get(10, TimeUnit.SECONDS);
			assertThat(response.getCode()).isEqualTo(200);
			assertThat(response.getBodyText()).isEqualTo("slow");
			assertThat(response.getVersion()).isEqualTo(HttpVersion.HTTP_2);
			assertThat(response.getHeaders("Connection")).isEmpty();
			DrainResult result = drain.get(15, TimeUnit.SECONDS);
			assertThat(result.duration()).isLessThan(Duration.ofSeconds(10));
		}
	}

}
