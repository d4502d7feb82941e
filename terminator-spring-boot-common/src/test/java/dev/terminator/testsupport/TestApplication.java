package dev.terminator.testsupport;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * A servlet application with the test endpoints and a recorder of what terminator tells
 * the application; the container comes from {@link Container}.
 */
@SpringBootConfiguration
// Spring Boot 3.5's WebSocket auto-configuration, which sets up every container on the
// class path at once: that line's SpringBootLine sets up the running container's instead.
// Boot 4 has it in each container's own, and no such class.
@EnableAutoConfiguration(
		excludeName = "org.springframework.boot.autoconfigure.websocket.servlet.WebSocketServletAutoConfiguration")
@Import({ TestEndpoints.class, AsyncEndpoints.class, TerminationRecorder.class })
public class TestApplication {

}
