package dev.terminator.testsupport;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.terminator.core.HttpTerminator;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real WebFlux application on a real embedded server, on loopback and port 0, plain or
 * TLS: the reactive counterpart of {@link TestServer}.
 */
public final class ReactiveTestServer implements ServerAddress, AutoCloseable {

	private final ReactiveServer server;

	private final boolean tls;

	private final ConfigurableApplicationContext context;

	private ReactiveTestServer(ReactiveServer server, boolean tls, ConfigurableApplicationContext context) {
		this.server = server;
		this.tls = tls;
		this.context = context;
	}

	/**
	 * Start the reactive test application.
	 * @param server the server it runs on
	 * @param tls whether the server listens with TLS
	 * @param properties the application's properties
	 * @return the running server
	 */
	public static ReactiveTestServer start(ReactiveServer server, boolean tls, String... properties) {
		List<String> all = new ArrayList<>(List.of("server.port=0", "server.address=127.0.0.1",
				"spring.main.banner-mode=off", "spring.jmx.enabled=false"));
		if (tls) {
			all.addAll(Arrays.asList(Tls.SERVER_PROPERTIES));
		}
		all.add(ReactiveWebSocketEndpoints.SERVER_PROPERTY + "=" + server.name());
		all.addAll(SpringBootLine.reactiveServerProperties(server));
		all.addAll(Arrays.asList(properties));
		ConfigurableApplicationContext context = new SpringApplicationBuilder(ReactiveTestApplication.class,
				SpringBootLine.reactiveServerConfiguration(server))
			.web(WebApplicationType.REACTIVE)
			.properties(all.toArray(String[]::new))
			.run();
		return new ReactiveTestServer(server, tls, context);
	}

	public ReactiveServer server() {
		return this.server;
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

	public ReactiveTestEndpoints endpoints() {
		return this.context.getBean(ReactiveTestEndpoints.class);
	}

	public ConfigurableApplicationContext context() {
		return this.context;
	}

	/**
	 * Close the application as it closes on shutdown, the drain included.
	 */
	public void shutDown() {
		this.context.close();
	}

	@Override
	public void close() {
		if (this.context.isActive()) {
			this.context.close();
		}
	}

	@Override
	public String toString() {
		return this.server + (this.tls ? " tls" : " plain");
	}

}
