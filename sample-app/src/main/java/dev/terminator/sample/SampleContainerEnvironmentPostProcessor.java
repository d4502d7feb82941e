package dev.terminator.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.aot.AotDetector;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.jetty.autoconfigure.actuate.web.server.JettyServletManagementContextAutoConfiguration;
import org.springframework.boot.jetty.autoconfigure.metrics.JettyMetricsAutoConfiguration;
import org.springframework.boot.jetty.autoconfigure.servlet.JettyServletWebServerAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.actuate.web.server.TomcatServletManagementContextAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.metrics.TomcatMetricsAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Leaves Spring Boot the auto-configuration of only the container that
 * {@code sample.container} names. Tomcat and Jetty are both on the class path; in Spring
 * Boot 4 each has auto-configurations of its own, so excluding the other one's is all it
 * takes, and Boot builds the chosen server as usual. It also keeps the management server
 * on a separate port from failing: both containers would define its child context
 * factory.
 *
 * <p>
 * An unknown name stops start-up with a message naming the property, before any server
 * starts.
 *
 * <p>
 * Spring AOT (the build's {@code process-aot}, used with
 * {@code -Dspring.aot.enabled=true} and by a native image) evaluates the
 * auto-configurations once, at build time, with the default: Tomcat. The bean definitions
 * it generates ignore the exclusions made here at run time, so with AOT the sample runs
 * on Tomcat only, and another choice stops start-up rather than run Tomcat under Jetty's
 * name.
 */
class SampleContainerEnvironmentPostProcessor implements EnvironmentPostProcessor {

	static final String PROPERTY = "sample.container";

	private static final String EXCLUDE = "spring.autoconfigure.exclude";

	/**
	 * The container Spring AOT sees at build time, where {@code sample.container} is not
	 * set.
	 */
	static final SampleContainer AOT_CONTAINER = SampleContainer.TOMCAT;

	private static final Map<SampleContainer, List<Class<?>>> AUTO_CONFIGURATIONS = Map.of(SampleContainer.TOMCAT,
			List.of(TomcatServletWebServerAutoConfiguration.class,
					TomcatServletManagementContextAutoConfiguration.class, TomcatMetricsAutoConfiguration.class),
			SampleContainer.JETTY, List.of(JettyServletWebServerAutoConfiguration.class,
					JettyServletManagementContextAutoConfiguration.class, JettyMetricsAutoConfiguration.class));

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		Binder binder = Binder.get(environment);
		SampleContainer chosen = binder.bind(PROPERTY, SampleContainer.class).orElse(SampleContainer.TOMCAT);
		if (AotDetector.useGeneratedArtifacts() && chosen != AOT_CONTAINER) {
			throw new IllegalStateException(PROPERTY + "=" + chosen.name().toLowerCase(Locale.ROOT)
					+ " is not available with Spring AOT: the AOT-processed bean definitions were generated for "
					+ AOT_CONTAINER.name().toLowerCase(Locale.ROOT)
					+ "; run the jar without -Dspring.aot.enabled=true");
		}
		List<String> excluded = new ArrayList<>(binder.bind(EXCLUDE, String[].class).map(List::of).orElse(List.of()));
		AUTO_CONFIGURATIONS.forEach((container, configurations) -> {
			if (container != chosen) {
				configurations.forEach((configuration) -> excluded.add(configuration.getName()));
			}
		});
		environment.getPropertySources()
			.addFirst(new MapPropertySource("sampleContainer", Map.of(EXCLUDE, String.join(",", excluded))));
	}

}
