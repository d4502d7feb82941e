package dev.terminator;

import dev.terminator.core.HttpTerminator;
import dev.terminator.core.TerminatorState;
import dev.terminator.testsupport.Container;
import dev.terminator.testsupport.RawConnection;
import dev.terminator.testsupport.TestServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Framework 7 pauses contexts (its test context cache does when it switches to
 * another one): a pause stops the pauseable lifecycles and the context may start again. A
 * pause is not a shutdown, and must drain nothing.
 */
class PausedContextTests {

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.testsupport.Container#supported")
	void pausedAndRestartedContextKeepsServingWithNothingDrained(Container container) throws Exception {
		try (TestServer server = TestServer.start(container, false)) {
			HttpTerminator terminator = server.terminator();
			RawConnection keptAlive = server.connect();
			assertThat(keptAlive.get("/hello").body()).isEqualTo("hello");

			server.context().pause();
			assertThat(terminator.state()).isEqualTo(TerminatorState.RUNNING);
			assertThat(keptAlive.get("/hello").asksToClose()).as("served while paused, kept alive").isFalse();
			server.context().start();

			try (RawConnection fresh = server.connect()) {
				assertThat(fresh.get("/hello").body()).isEqualTo("hello");
			}
			assertThat(keptAlive.get("/hello").asksToClose()).as("served after the restart, kept alive").isFalse();
			assertThat(terminator.state()).isEqualTo(TerminatorState.RUNNING);
			assertThat(terminator.drainProgress()).isNull();
			keptAlive.close();
		}
	}

}
