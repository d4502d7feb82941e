package dev.terminator.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A web application that shows terminator draining its embedded server. Run it with
 * {@code --sample.container=tomcat|jetty} ({@code |undertow} on Spring Boot 3.5) and stop
 * it with Ctrl-C or {@code kill -TERM}.
 */
// Spring Boot 3.5's one WebSocket auto-configuration sets up every container on the class
// path at once, and Jetty then fails to start: the Boot 3.5 sample sets up the chosen
// container's (SampleContainerConfiguration). Boot 4 has it in each container's own
// auto-configuration, and no such class.
@SpringBootApplication(
		excludeName = "org.springframework.boot.autoconfigure.websocket.servlet.WebSocketServletAutoConfiguration")
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
