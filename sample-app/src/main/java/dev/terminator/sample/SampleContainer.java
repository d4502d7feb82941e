package dev.terminator.sample;

import java.util.Locale;

import org.springframework.boot.context.properties.bind.Binder;

/**
 * The embedded servers the Spring Boot 4 sample app can run on, picked with
 * {@code --sample.container}.
 */
public enum SampleContainer {

	/**
	 * Apache Tomcat, the default on the servlet stack.
	 */
	TOMCAT,

	/**
	 * Eclipse Jetty.
	 */
	JETTY,

	/**
	 * Reactor Netty, the default on the reactive stack, and only there.
	 */
	NETTY;

	/**
	 * The property that picks the server.
	 */
	public static final String PROPERTY = "sample.container";

	/**
	 * The server {@code sample.container} names, or the default of the stack
	 * {@code sample.stack} names. An unknown name, or a server the stack cannot run on,
	 * stops start-up with a message naming the property.
	 * @param binder the environment's binder
	 * @return the server to run
	 */
	static SampleContainer chosen(Binder binder) {
		SampleStack stack = binder.bind(SampleStack.PROPERTY, SampleStack.class).orElse(SampleStack.SERVLET);
		SampleContainer container = binder.bind(PROPERTY, SampleContainer.class)
			.orElse((stack == SampleStack.REACTIVE) ? NETTY : TOMCAT);
		if (container == NETTY && stack != SampleStack.REACTIVE) {
			throw new IllegalStateException(PROPERTY + "=netty needs " + SampleStack.PROPERTY
					+ "=reactive: Reactor Netty serves Spring WebFlux only");
		}
		return container;
	}

	/**
	 * The name as {@code sample.container} takes it.
	 * @return the lower-case name
	 */
	String propertyValue() {
		return name().toLowerCase(Locale.ROOT);
	}

}
