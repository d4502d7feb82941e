package dev.terminator.autoconfigure;

import dev.terminator.actuate.TerminatorEndpoint;
import dev.terminator.tomcat.TrackingHttp11NioProtocol;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.util.ClassUtils;

/**
 * What a native image must keep for terminator beyond what Spring's AOT processing finds
 * in bean definitions: the classes Tomcat and the Jetty adapter reach by name, and the
 * endpoint's answers, which Jackson reads by reflection.
 */
class TerminatorRuntimeHints implements RuntimeHintsRegistrar {

	/**
	 * Classes the Jetty adapter loads with {@code Class.forName} only to see whether they
	 * are there.
	 */
	static final String[] JETTY_OPTIONAL_CLASSES = {
			"org.eclipse.jetty.http2.server.AbstractHTTP2ServerConnectionFactory",
			"org.eclipse.jetty.http2.SessionContainer", "org.eclipse.jetty.websocket.core.WebSocketConnection" };

	private static final String ENDPOINT_CLASS = "org.springframework.boot.actuate.endpoint.annotation.Endpoint";

	private static final String TOMCAT_PROTOCOL_HANDLER = "org.apache.coyote.ProtocolHandler";

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		// Registered in META-INF/spring/aot.factories, so this applies whatever the
		// conditions decide: every type is guarded or named as a TypeReference, which
		// leaves a type missing from the class path out of the image.
		if (ClassUtils.isPresent(TOMCAT_PROTOCOL_HANDLER, classLoader)) {
			// Tomcat instantiates the protocol from its class name and calls its setters
			// by name (Connector.setProperty).
			hints.reflection()
				.registerType(TrackingHttp11NioProtocol.class, MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS,
						MemberCategory.INVOKE_PUBLIC_METHODS);
		}
		for (String name : JETTY_OPTIONAL_CLASSES) {
			hints.reflection().registerType(TypeReference.of(name));
		}
		if (ClassUtils.isPresent(ENDPOINT_CLASS, classLoader)) {
			EndpointHints.register(hints);
		}
	}

	/**
	 * Loaded only when the actuator is on the class path: the endpoint's answers
	 * implement one of its types.
	 */
	private static final class EndpointHints {

		static void register(RuntimeHints hints) {
			new BindingReflectionHintsRegistrar().registerReflectionHints(hints.reflection(),
					TerminatorEndpoint.TerminatorDescriptor.class, TerminatorEndpoint.ConnectionsDescriptor.class,
					TerminatorEndpoint.DrainDescriptor.class, TerminatorEndpoint.AcceptQueueDescriptor.class,
					TerminatorEndpoint.AdaptiveDelayDescriptor.class, TerminatorEndpoint.LameDuckDescriptor.class,
					TerminatorEndpoint.TimelineDescriptor.class);
		}

	}

}
