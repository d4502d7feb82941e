package dev.terminator;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.terminator.context.DrainStartedEvent;
import dev.terminator.context.ShutdownDelayStartedEvent;
import dev.terminator.core.DrainResult;
import dev.terminator.core.HttpTerminator;
import dev.terminator.testsupport.Container;
import dev.terminator.testsupport.TerminationRecorder;
import dev.terminator.testsupport.TestServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the application is told of a termination: the events and its own
 * {@code TerminationListener} beans, on the threads the documentation names.
 */
class TerminationEventsTests {

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.testsupport.Container#supported")
	void delayAndDrainArePublishedAndTheListenerBeanIsCalled(Container container) throws Exception {
		try (TestServer server = TestServer.start(container, false, "terminator.shutdown-delay=300ms",
				"terminator.timeout=7s")) {
			HttpTerminator terminator = server.terminator();
			TerminationRecorder recorder = server.context().getBean(TerminationRecorder.class);

			DrainResult result = terminator.terminate().get(5, TimeUnit.SECONDS);

			String caller = Thread.currentThread().getName();
			assertThat(recorder.steps()).containsExactly("event: delay started on " + caller,
					"listener: delay started on " + caller, "event: drain started on terminator-drain",
					"listener: drain started on terminator-drain", "listener: drain finished on terminator-drain");
			assertThat(recorder.events()).hasSize(2);
			ShutdownDelayStartedEvent delay = (ShutdownDelayStartedEvent) recorder.events().get(0);
			assertThat(delay.getDelay()).isEqualTo(Duration.ofMillis(300));
			assertThat(delay.getTerminator()).isSameAs(terminator);
			DrainStartedEvent drain = (DrainStartedEvent) recorder.events().get(1);
			assertThat(drain.getTerminator()).isSameAs(terminator);
			assertThat(drain.getProgress().startedAt()).isEqualTo(result.startedAt());
			assertThat(drain.getDeadline()).isEqualTo(result.startedAt().plusSeconds(7)).isEqualTo(result.deadline());
			assertThat(terminator.drainResult()).isEqualTo(result);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.testsupport.Container#supported")
	void drainWithoutDelayPublishesOnlyTheDrainEvent(Container container) throws Exception {
		try (TestServer server = TestServer.start(container, false)) {
			TerminationRecorder recorder = server.context().getBean(TerminationRecorder.class);

			server.terminator().drain(Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS);

			assertThat(recorder.events()).singleElement().isInstanceOf(DrainStartedEvent.class);
			assertThat(recorder.steps()).containsExactly("event: drain started on terminator-drain",
					"listener: drain started on terminator-drain", "listener: drain finished on terminator-drain");
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.terminator.testsupport.Container#supported")
	void listenerBeanTheApplicationAlsoAddsByHandIsCalledOncePerStep(Container container) throws Exception {
		try (TestServer server = TestServer.start(container, false, List.of(AddsTheRecorderByHand.class))) {
			TerminationRecorder recorder = server.context().getBean(TerminationRecorder.class);

			server.terminator().drain(Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS);

			// Once each, where it was first added: by hand, before the listener beans.
			assertThat(recorder.steps()).containsExactly("listener: drain started on terminator-drain",
					"event: drain started on terminator-drain", "listener: drain finished on terminator-drain");
		}
	}

	/**
	 * Adds the recorder bean to the terminator by hand, as an application written before
	 * listener beans were collected might: once while the beans are created, once after
	 * start-up.
	 */
	@Configuration(proxyBeanMethods = false)
	static class AddsTheRecorderByHand {

		@Bean
		InitializingBean addRecorderWhileStarting(HttpTerminator terminator, TerminationRecorder recorder) {
			return () -> terminator.addListener(recorder);
		}

		@Bean
		ApplicationRunner addRecorderOnceStarted(HttpTerminator terminator, TerminationRecorder recorder) {
			return (arguments) -> terminator.addListener(recorder);
		}

	}

}
