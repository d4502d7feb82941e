package dev.terminator.testsupport;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * A WebFlux application with the reactive test endpoints; the server comes from
 * {@link ReactiveServer}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ ReactiveTestEndpoints.class, ReactiveWebSocketEndpoints.class, TerminationRecorder.class })
public class ReactiveTestApplication {

}
