package dev.terminator.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.terminator.core.DrainResult;
import dev.terminator.testsupport.Connections;
import dev.terminator.testsupport.Container;
import dev.terminator.testsupport.RawConnection;
import dev.terminator.testsupport.RawConnection.Response;
import dev.terminator.testsupport.SpringBootLine;
import dev.terminator.testsupport.TestEndpoints;
import dev.terminator.testsupport.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A connector the drain cannot track, because the application chose it: named at
 * start-up, and left to Spring Boot's graceful shutdown, which then gets
 * {@code terminator.timeout}. On every line, on the container concerned.
 */
@ExtendWith(OutputCaptureExtension.class)
class UntrackedConnectorTests {

	private static final String NIO2 = "org.apache.coyote.http11.Http11Nio2Protocol";

	@Test
	void tomcatProtocolTheApplicationSetsWinsAndItsRequestsAreLeftToBootsGracefulStep(CapturedOutput output)
			throws Exception {
		try (TestServer server = TestServer.start(Container.TOMCAT, false, List.of(Nio2Protocol.class),
				"server.shutdown=graceful", "terminator.timeout=10s")) {
			assertThat(output).contains("terminator cannot track the connections of Tomcat protocol " + NIO2)
				.contains("TomcatServletWebServerFactory.setProtocol")
				.contains("server.shutdown=graceful");
			assertThat(server.context().getBean(UntrackedConnectors.class).connectors())
				.containsExactly("Tomcat protocol " + NIO2);
			TestEndpoints endpoints = server.context().getBean(TestEndpoints.class);
			RawConnection held = server.connect();
			held.send("GET", "/held", null);
			await().until(() -> endpoints.heldInFlight() == 1);

			CompletableFuture<Void> closing = CompletableFuture.runAsync(server::shutDown);
			// The drain sees no connection and ends at once; Boot's graceful step waits
			// for the request up to terminator.timeout, where it would be capped at 100
			// ms if the drain tracked every connection.
			await().until(() -> server.terminator().drainResult() != null);
			await().during(Duration.ofMillis(1500))
				.atMost(Duration.ofSeconds(5))
				.until(() -> !closing.isDone() && endpoints.heldInFlight() == 1);
			endpoints.releaseHeld();

			Response response = held.readResponse();
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.body()).isEqualTo("held");
			closing.get(10, TimeUnit.SECONDS);
		}
	}

	@Test
	void trackedTomcatNamesNothing(CapturedOutput output) {
		try (TestServer server = TestServer.start(Container.TOMCAT, false)) {
			assertThat(server.context().getBean(UntrackedConnectors.class).isEmpty()).isTrue();
			assertThat(output).doesNotContain("terminator cannot track");
		}
	}

	@Test
	void jettyConnectorThatIsNotAServerConnectorIsNamedAndTheOthersAreStillDrained(CapturedOutput output)
			throws Exception {
		try (TestServer server = TestServer.start(Container.JETTY, false, List.of(JettyLocalConnector.class),
				"terminator.quiet-period=0s")) {
			assertThat(output).contains("terminator cannot track the connections of Jetty connector")
				.contains("it is a org.eclipse.jetty.server.LocalConnector, not a ServerConnector");
			assertThat(server.context().getBean(UntrackedConnectors.class).connectors()).singleElement()
				.asString()
				.startsWith("Jetty connector ")
				.contains("LocalConnector");
			RawConnection idle = Connections.idle(server, 1).get(0);

			DrainResult result = server.terminator().terminate().get(5, TimeUnit.SECONDS);

			assertThat(idle.awaitClosed(Duration.ofSeconds(2))).isTrue();
			assertThat(result.idleClosed()).isEqualTo(1);
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Nio2Protocol {

		@Bean
		WebServerFactoryCustomizer<?> applicationsTomcatProtocol() {
			return SpringBootLine.tomcatProtocol(NIO2);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class JettyLocalConnector {

		@Bean
		WebServerFactoryCustomizer<?> applicationsJettyConnector() {
			return SpringBootLine.jettyLocalConnector();
		}

	}

}
