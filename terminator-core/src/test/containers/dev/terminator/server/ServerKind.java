package dev.terminator.server;

import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * One container, plain or TLS: what the behaviour suites run on. The containers are those
 * of the generation under test ({@link Fixtures}).
 *
 * @param container the container
 * @param tls whether the server listens with TLS
 */
public record ServerKind(ContainerFixture container, boolean tls) {

	/**
	 * Every container of the generation under test, plain and TLS.
	 * @return the kinds of server the suites run on
	 */
	public static Stream<ServerKind> all() {
		return Fixtures.all()
			.flatMap((container) -> Stream.of(new ServerKind(container, false), new ServerKind(container, true)));
	}

	/**
	 * Every container of the generation under test, plain: for a behaviour that TLS does
	 * not change (the engine's bookkeeping, response headers, the listen socket).
	 * @return the kinds of server the suites run on
	 */
	public static Stream<ServerKind> plain() {
		return Fixtures.all().map((container) -> new ServerKind(container, false));
	}

	public BareServer start() throws Exception {
		return start(UnaryOperator.identity());
	}

	public BareServer start(UnaryOperator<ServerOptions> options) throws Exception {
		return this.container.start(options.apply(ServerOptions.defaults(this.tls)));
	}

	@Override
	public String toString() {
		return this.container.name() + (this.tls ? " tls" : " plain");
	}

}
