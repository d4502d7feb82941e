package dev.terminator.testsupport;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.terminator.core.HttpTerminator;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real Spring Boot application on a real embedded container, on loopback and port 0,
 * plain or TLS.
 */
public final class TestServer implements ServerAddress, AutoCloseable {

	private final Container container;

	private final boolean tls;

	private final ConfigurableApplicationContext context;

	private TestServer(Container container, boolean tls, ConfigurableApplicationContext context) {
		this.container = container;
		this.tls = tls;
		this.context = context;
	}

	public static TestServer start(Container container, boolean tls, String... properties) {
		return start(container, tls, List.of(), properties);
	}

	/**
	 * Start the test application with more configuration.
	 * @param container the container
	 * @param tls whether the server listens with TLS
	 * @param configurations more configuration classes of the application, such as its
	 * WebSocket endpoints
	 * @param properties the application's properties
	 * @return the running server
	 */
	public static TestServer start(Container container, boolean tls, List<Class<?>> configurations,
			String... properties) {
		List<String> all = new ArrayList<>(List.of("server.port=0", "server.address=127.0.0.1",
				"spring.main.banner-mode=off", "spring.jmx.enabled=false"));
		if (tls) {
			all.addAll(Arrays.asList(Tls.SERVER_PROPERTIES));
		}
		all.add(WebSocketEndpoints.CONTAINER_PROPERTY + "=" + container.name());
		all.addAll(SpringBootLine.serverProperties(container));
		all.addAll(Arrays.asList(properties));
		List<Class<?>> sources = new ArrayList<>(
				List.of(TestApplication.class, SpringBootLine.serverConfiguration(container)));
		sources.addAll(configurations);
		ConfigurableApplicationContext context = new SpringApplicationBuilder(sources.toArray(Class<?>[]::new))
			.web(WebApplicationType.SERVLET)
			.properties(all.toArray(String[]::new))
			.run();
		return new TestServer(container, tls, context);
	}

	public Container container() {
		return this.container;
	}

	@Override
	public boolean isTls() {
		return this.tls;
	}

	@Override
	public int port() {
		return this.context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

	public HttpTerminator terminator() {
		return this.context.getBean(HttpTerminator.class);
	}

	public ConfigurableApplicationContext context() {
		return this.context;
	}

	/**
	 * Close the application as it closes on shutdown, the drain included: what a test of
	 * the shutdown path does while the server is still in its try-with-resources block.
	 */
	public void shutDown() {
		this.context.close();
	}

	/**
	 * Close the application unless a test has shut it down already.
	 */
	@Override
	public void close() {
		if (this.context.isActive()) {
			this.context.close();
		}
	}

	@Override
	public String toString() {
		return this.container.name().toLowerCase() + (this.tls ? " tls" : " plain");
	}

}
