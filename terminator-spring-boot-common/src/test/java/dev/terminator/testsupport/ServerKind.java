package dev.terminator.testsupport;

import java.util.List;
import java.util.stream.Stream;

/**
 * One container, plain or TLS: what the behaviour suite runs on.
 *
 * @param container the container
 * @param tls whether the server listens with TLS
 */
public record ServerKind(Container container, boolean tls) {

	/**
	 * Every supported container, plain and TLS.
	 * @return the kinds of server the suite runs on
	 */
	public static Stream<ServerKind> all() {
		return Container.supported()
			.flatMap((container) -> Stream.of(new ServerKind(container, false), new ServerKind(container, true)));
	}

	/**
	 * Every supported container, plain: what an end-to-end test of a behaviour runs on
	 * when terminator-core's socket-level suite covers it on every container, plain and
	 * TLS.
	 * @return the kinds of server the end-to-end tests run on
	 */
	public static Stream<ServerKind> plain() {
		return Container.supported().map((container) -> new ServerKind(container, false));
	}

	public TestServer start(String... properties) {
		return TestServer.start(this.container, this.tls, properties);
	}

	/**
	 * Start the test application with more configuration.
	 * @param configurations more configuration classes of the application
	 * @param properties the application's properties
	 * @return the running server
	 */
	public TestServer start(List<Class<?>> configurations, String... properties) {
		return TestServer.start(this.container, this.tls, configurations, properties);
	}

	@Override
	public String toString() {
		return this.container.name().toLowerCase() + (this.tls ? " tls" : " plain");
	}

}
