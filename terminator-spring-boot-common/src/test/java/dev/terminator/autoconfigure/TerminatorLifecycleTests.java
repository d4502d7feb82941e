package dev.terminator.autoconfigure;

import dev.terminator.core.HttpTerminator;
import dev.terminator.core.TerminatorSettings;
import dev.terminator.testsupport.SpringBootLine;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where the terminator's lifecycle sits among Spring Boot's shutdown phases, on the Boot
 * line under test.
 */
class TerminatorLifecycleTests {

	@Test
	void gracefulShutdownPhaseIsBootsOwn() {
		assertThat(TerminatorLifecycle.BOOT_GRACEFUL_SHUTDOWN_PHASE).isEqualTo(SpringBootLine.GRACEFUL_SHUTDOWN_PHASE);
	}

	@Test
	void stopsBeforeBootsGracefulShutdown() {
		assertThat(new TerminatorLifecycle(new HttpTerminator(TerminatorSettings.DEFAULTS)).getPhase())
			.isGreaterThan(SpringBootLine.GRACEFUL_SHUTDOWN_PHASE);
	}

	@Test
	void isNotPauseable() {
		assertThat(new TerminatorLifecycle(new HttpTerminator(TerminatorSettings.DEFAULTS)).isPauseable()).isFalse();
	}

}
