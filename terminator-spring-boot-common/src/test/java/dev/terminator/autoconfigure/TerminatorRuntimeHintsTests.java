package dev.terminator.autoconfigure;

import dev.terminator.actuate.TerminatorEndpoint.ConnectionsDescriptor;
import dev.terminator.actuate.TerminatorEndpoint.AcceptQueueDescriptor;
import dev.terminator.actuate.TerminatorEndpoint.AdaptiveDelayDescriptor;
import dev.terminator.actuate.TerminatorEndpoint.DrainDescriptor;
import dev.terminator.actuate.TerminatorEndpoint.LameDuckDescriptor;
import dev.terminator.actuate.TerminatorEndpoint.TerminatorDescriptor;
import dev.terminator.actuate.TerminatorEndpoint.TimelineDescriptor;
import dev.terminator.tomcat.TrackingHttp11NioProtocol;
import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.ReflectionHintsPredicates;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hints a native image needs for what is reached by name or by reflection, and their
 * registration where Spring's AOT processing looks for them.
 */
// onConstructor(...).invoke() and onMethod(...).invoke() are the forms both Spring
// Framework 6.2 (Boot 3.5) and 7 have;
// 7 deprecates them for removal in favour of onConstructorInvocation and
// onMethodInvocation, which 6.2 lacks.
@SuppressWarnings("removal")
class TerminatorRuntimeHintsTests {

	private final RuntimeHints hints = registeredHints();

	private final ReflectionHintsPredicates reflection = RuntimeHintsPredicates.reflection();

	@Test
	void registeredInAotFactories() {
		assertThat(SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories")
			.load(RuntimeHintsRegistrar.class)).hasAtLeastOneElementOfType(TerminatorRuntimeHints.class);
	}

	@Test
	void tomcatCanInstantiateTheTrackingProtocolByNameAndSetItsProperties() throws Exception {
		assertThat(this.reflection.onConstructor(TrackingHttp11NioProtocol.class.getConstructor()).invoke())
			.accepts(this.hints);
		assertThat(this.reflection.onType(TrackingHttp11NioProtocol.class)
			.withMemberCategory(MemberCategory.INVOKE_PUBLIC_METHODS)).accepts(this.hints);
		// What the hint is for: Tomcat makes the protocol from the name the customizer
		// gives the factory.
		assertThat(new Connector(TrackingHttp11NioProtocol.class.getName()).getProtocolHandler())
			.isInstanceOf(TrackingHttp11NioProtocol.class);
	}

	@Test
	void classesTheJettyAdapterLooksUpByNameAreRegistered() {
		assertThat(TerminatorRuntimeHints.JETTY_OPTIONAL_CLASSES).contains("org.eclipse.jetty.http2.SessionContainer",
				"org.eclipse.jetty.websocket.core.WebSocketConnection");
		for (String name : TerminatorRuntimeHints.JETTY_OPTIONAL_CLASSES) {
			assertThat(this.reflection.onType(TypeReference.of(name))).as(name).accepts(this.hints);
		}
	}

	@Test
	void jacksonCanReadTheEndpointsAnswers() {
		assertThat(this.reflection.onMethod(TerminatorDescriptor.class, "state").invoke()).accepts(this.hints);
		assertThat(this.reflection.onMethod(TerminatorDescriptor.class, "drain").invoke()).accepts(this.hints);
		assertThat(this.reflection.onMethod(ConnectionsDescriptor.class, "open").invoke()).accepts(this.hints);
		assertThat(this.reflection.onMethod(DrainDescriptor.class, "durationMillis").invoke()).accepts(this.hints);
		assertThat(this.reflection.onMethod(AcceptQueueDescriptor.class, "served").invoke()).accepts(this.hints);
		assertThat(this.reflection.onMethod(AdaptiveDelayDescriptor.class, "quietTime").invoke()).accepts(this.hints);
		assertThat(this.reflection.onMethod(LameDuckDescriptor.class, "end").invoke()).accepts(this.hints);
		assertThat(this.reflection.onMethod(TimelineDescriptor.class, "finishedAt").invoke()).accepts(this.hints);
	}

	private static RuntimeHints registeredHints() {
		RuntimeHints hints = new RuntimeHints();
		new TerminatorRuntimeHints().registerHints(hints, TerminatorRuntimeHintsTests.class.getClassLoader());
		return hints;
	}

}
