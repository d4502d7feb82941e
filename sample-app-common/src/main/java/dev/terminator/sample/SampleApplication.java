package dev.terminator.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A web application that shows terminator draining its embedded server. Run it with
 * {@code --sample.container=tomcat|jetty} ({@code |undertow} on Spring Boot 3.5) and stop it with Ctrl-C or
 * {@code kill -TERM}.
 */
@SpringBootApplication
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
