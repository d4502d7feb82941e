package dev.terminator.server;

import java.util.stream.Stream;

/**
 * The containers of the newer generation, those of Spring Boot 4: Tomcat 11, Jetty 12.1
 * (ee11) and Reactor Netty 1.3. Undertow has no release for Servlet 6.1, and Boot 4
 * dropped it.
 */
final class Fixtures {

	private Fixtures() {
	}

	static Stream<ContainerFixture> all() {
		return Stream.of(new TomcatFixture(), new JettyFixture(), new NettyFixture());
	}

}
