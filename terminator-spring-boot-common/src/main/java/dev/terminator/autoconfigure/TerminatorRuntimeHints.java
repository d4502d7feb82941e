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
 * What a native image must keep for terminator, beyond what Spring's AOT processing finds
 * in bean definitions:
 * <ul>
 * <li>{@link TrackingHttp11NioProtocol}, which Tomcat instantiates from its class name
 * and whose setters it calls by name ({@code Connector.setProperty});</li>
 * <li>the classes the Jetty adapter looks up by name to find out whether HTTP/2 and
 * WebSocket support are there;</li>
 * <li>the endpoint's answers, which Jackson reads by reflection, when the actuator is
 * there.</li>
 * </ul>
 * Registered in {@code META-INF/spring/aot.factories}, so it applies whatever the
 * conditions decide: every type is named as a {@link TypeReference} or guarded, and a
 * type missing from the class path is left out of the image.
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
		if (ClassUtils.isPresent(TOMCAT_PROTOCOL_HANDLER, classLoader)) {
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
					TerminatorEndpoint.DrainDescriptor.class);
		}

	}

}
