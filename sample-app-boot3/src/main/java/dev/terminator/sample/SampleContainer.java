package dev.terminator.sample;

/**
 * The embedded containers the sample app can run on, picked with
 * {@code --sample.container}.
 */
public enum SampleContainer {

	/**
	 * Apache Tomcat, the default.
	 */
	TOMCAT,

	/**
	 * Eclipse Jetty.
	 */
	JETTY,

	/**
	 * Undertow.
	 */
	UNDERTOW

}
