package dev.terminator.testsupport;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.websocket.servlet.WebSocketServletAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * A servlet application with the test endpoints; the container comes from {@link Container}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(exclude = WebSocketServletAutoConfiguration.class)
@Import(TestEndpoints.class)
public class TestApplication {

}
