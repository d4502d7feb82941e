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
 * Leaves Spring Boot the auto-configurations of only the container that
 * {@code sample.container} names, of the two on the class path. It also keeps a separate
 * management port from failing: both containers would define its child context factory.
 */
class SampleContainerEnvironmentPostProcessor implements EnvironmentPostProcessor {

	static final String PROPERTY = "sample.container";

	private static final String EXCLUDE = "spring.autoconfigure.exclude";

	/**
	 * The container Spring AOT sees at build time, where {@code sample.container} is not
	 * set: the only one the AOT-generated bean definitions can run.
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
		// An unknown name fails here, naming the property, before any server starts.
		SampleContainer chosen = binder.bind(PROPERTY, SampleContainer.class).orElse(SampleContainer.TOMCAT);
		// Spring AOT evaluates the auto-configurations once, at build time, and the bean
		// definitions it generates ignore the exclusions made here: stop rather than run
		// Tomcat under Jetty's name.
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
