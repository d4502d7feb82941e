package dev.terminator.sample;

/**
 * The web stacks the sample app can run on, picked with {@code --sample.stack}: the same
 * endpoints on Spring MVC or on Spring WebFlux, in the same jar.
 */
public enum SampleStack {

	/**
	 * Spring MVC on a servlet container, the default.
	 */
	SERVLET,

	/**
	 * Spring WebFlux, on Reactor Netty by default or on a servlet container.
	 */
	REACTIVE;

	/**
	 * The property that picks the stack.
	 */
	public static final String PROPERTY = "sample.stack";

}
