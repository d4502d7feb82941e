package dev.terminator.autoconfigure;

import dev.terminator.testsupport.Container;
import dev.terminator.testsupport.SpringBootLine;
import dev.terminator.testsupport.TestServer;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the Jetty adapter applies: only with Jetty present, and only to the Jetty factory
 * actually in use.
 */
class JettyTerminatorConfigurationTests {

	private final WebApplicationContextRunner runner = SpringBootLine.embeddedWebServerContextRunner()
		.withConfiguration(AutoConfigurations.of(TerminatorAutoConfiguration.class));

	@Test
	void customizerPresentWithJetty() {
		this.runner.run((context) -> assertThat(context).hasBean("terminatorJettyCustomizer"));
	}

	@Test
	void customizerAbsentWithoutJetty() {
		this.runner.withClassLoader(new FilteredClassLoader(Server.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("terminatorJettyCustomizer"));
	}

	@Test
	void onlyTheServerInUseIsTracked() {
		// Every container of the Boot line is on the test class path; each server below
		// is a user-defined factory.
		try (TestServer jetty = TestServer.start(Container.JETTY, false)) {
			assertThat(jetty.terminator().serverName()).isEqualTo("jetty");
		}
		try (TestServer tomcat = TestServer.start(Container.TOMCAT, false)) {
			assertThat(tomcat.terminator().serverName()).isEqualTo("tomcat");
		}
	}

}
