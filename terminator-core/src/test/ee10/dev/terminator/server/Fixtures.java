package dev.terminator.server;

import java.util.stream.Stream;

/**
 * The containers of the generation terminator-core compiles against: Tomcat 10.1, Jetty
 * 12.0 (ee10) and Undertow 2.3, Reactor Netty 1.2, the versions of Spring Boot 3.5.
 */
final class Fixtures {

	private Fixtures() {
	}

	static Stream<ContainerFixture> all() {
		return Stream.of(new TomcatFixture(), new JettyFixture(), new UndertowFixture(), new NettyFixture());
	}

}
