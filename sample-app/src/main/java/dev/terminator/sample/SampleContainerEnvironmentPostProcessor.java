package dev.terminator.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.aot.AotDetector;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.jetty.autoconfigure.actuate.web.server.JettyReactiveManagementContextAutoConfiguration;
import org.springframework.boot.jetty.autoconfigure.actuate.web.server.JettyServletManagementContextAutoConfiguration;
import org.springframework.boot.jetty.autoconfigure.metrics.JettyMetricsAutoConfiguration;
import org.springframework.boot.jetty.autoconfigure.reactive.JettyReactiveWebServerAutoConfiguration;
import org.springframework.boot.jetty.autoconfigure.servlet.JettyServletWebServerAutoConfiguration;
import org.springframework.boot.reactor.netty.autoconfigure.NettyReactiveWebServerAutoConfiguration;
import org.springframework.boot.reactor.netty.autoconfigure.actuate.web.server.NettyReactiveManagementContextAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.actuate.web.server.TomcatReactiveManagementContextAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.actuate.web.server.TomcatServletManagementContextAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.metrics.TomcatMetricsAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.reactive.TomcatReactiveWebServerAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Leaves Spring Boot the auto-configurations of only the server that
 * {@code sample.container} names, of the three on the class path (each has one for Spring
 * MVC and one for WebFlux, of which the web application type, set by
 * {@code sample.stack}, keeps one). It also keeps a separate management port from
 * failing: every server would define its child context factory.
 */
class SampleContainerEnvironmentPostProcessor implements EnvironmentPostProcessor {

	private static final String EXCLUDE = "spring.autoconfigure.exclude";

	/**
	 * The server Spring AOT sees at build time, where {@code sample.container} and
	 * {@code sample.stack} are not set: the only one the AOT-generated bean definitions
	 * can run, on the servlet stack.
	 */
	static final SampleContainer AOT_CONTAINER = SampleContainer.TOMCAT;

	private static final Map<SampleContainer, List<Class<?>>> AUTO_CONFIGURATIONS = Map.of(SampleContainer.TOMCAT,
			List.of(TomcatServletWebServerAutoConfiguration.class,
					TomcatServletManagementContextAutoConfiguration.class,
					TomcatReactiveWebServerAutoConfiguration.class,
					TomcatReactiveManagementContextAutoConfiguration.class, TomcatMetricsAutoConfiguration.class),
			SampleContainer.JETTY,
			List.of(JettyServletWebServerAutoConfiguration.class, JettyServletManagementContextAutoConfiguration.class,
					JettyReactiveWebServerAutoConfiguration.class,
					JettyReactiveManagementContextAutoConfiguration.class, JettyMetricsAutoConfiguration.class),
			SampleContainer.NETTY, List.of(NettyReactiveWebServerAutoConfiguration.class,
					NettyReactiveManagementContextAutoConfiguration.class));

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		Binder binder = Binder.get(environment);
		// An unknown name fails here, naming the property, before any server starts.
		SampleContainer chosen = SampleContainer.chosen(binder);
		SampleStack stack = binder.bind(SampleStack.PROPERTY, SampleStack.class).orElse(SampleStack.SERVLET);
		// Spring AOT evaluates the auto-configurations once, at build time, and the bean
		// definitions it generates ignore the exclusions made here and the web
		// application type: stop rather than run servlet Tomcat under another name.
		if (AotDetector.useGeneratedArtifacts() && (chosen != AOT_CONTAINER || stack != SampleStack.SERVLET)) {
			throw new IllegalStateException(SampleStack.PROPERTY + "=" + stack.name().toLowerCase() + " with "
					+ SampleContainer.PROPERTY + "=" + chosen.propertyValue()
					+ " is not available with Spring AOT: the AOT-processed bean definitions were generated for "
					+ AOT_CONTAINER.propertyValue() + " on the servlet stack; run the jar without "
					+ "-Dspring.aot.enabled=true");
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
