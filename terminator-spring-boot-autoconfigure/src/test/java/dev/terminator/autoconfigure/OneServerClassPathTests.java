package dev.terminator.autoconfigure;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application with one embedded server on its class path, as a user's is: in Spring
 * Boot 4 each server's factories are a jar of their own, so the other servers' factories
 * are missing, and nothing of terminator's may need them. This module's test class path
 * holds every server, so each application runs in a JVM of its own, started with that
 * class path less the other servers' jars.
 */
class OneServerClassPathTests {

	@ParameterizedTest(name = "{0} on {1}")
	@CsvSource({ "servlet, tomcat, jetty|netty", "servlet, jetty, tomcat|netty", "reactive, netty, tomcat|jetty",
			"reactive, tomcat, jetty|netty" })
	void startsAndDrainsWithoutTheOtherServers(String stack, String server, String others) throws Exception {
		List<String> classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
			.filter((entry) -> !isServer(Path.of(entry).getFileName().toString(), others))
			.toList();
		Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				String.join(File.pathSeparator, classPath), OneServerApplication.class.getName(),
				"--spring.main.web-application-type=" + stack, "--server.port=0", "--server.address=127.0.0.1",
				"--spring.main.banner-mode=off")
			.redirectErrorStream(true)
			.start();
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("application exited").isTrue();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.exitValue()).as(output).isZero();
		assertThat(output).contains("Drained " + server + " in ").doesNotContain("terminator cannot drain");
	}

	// The servers' own jars and Spring Boot's jar of each server's factories, such as
	// jetty-server-12.1.14.jar and spring-boot-jetty-4.1.2.jar; with a Netty left out,
	// Reactor Netty's server goes too (WebClient's client stays for Spring's own use).
	private static boolean isServer(String jar, String servers) {
		return Arrays.stream(servers.split("\\|")).anyMatch((server) -> switch (server) {
			case "tomcat" -> jar.startsWith("tomcat-embed-") || jar.startsWith("spring-boot-tomcat");
			case "jetty" -> jar.startsWith("jetty-") || jar.startsWith("spring-boot-jetty");
			case "netty" -> jar.startsWith("spring-boot-reactor-netty");
			default -> throw new IllegalArgumentException(server);
		});
	}

	/**
	 * The user's application, without component scanning (this package holds the
	 * auto-configuration itself): starts, then closes, which drains its server.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class OneServerApplication {

		public static void main(String[] args) {
			SpringApplication.run(OneServerApplication.class, args).close();
		}

	}

}
