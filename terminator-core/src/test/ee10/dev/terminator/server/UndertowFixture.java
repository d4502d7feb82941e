package dev.terminator.server;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import dev.terminator.core.DrainResult;
import dev.terminator.core.HttpTerminator;
import dev.terminator.core.QueuedConnections;
import dev.terminator.core.WebSocketCloser;
import dev.terminator.servlet.ConnectionCloseFilter;
import dev.terminator.testsupport.Tls;
import dev.terminator.undertow.DrainableWorker;
import dev.terminator.undertow.UndertowAdapter;
import dev.terminator.undertow.UndertowWebSocketCloser;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.servlet.Servlets;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.DeploymentManager;
import io.undertow.servlet.util.ImmediateInstanceFactory;
import io.undertow.websockets.jsr.WebSocketDeploymentInfo;
import jakarta.servlet.DispatcherType;

/**
 * A bare {@link Undertow} on a {@link DrainableWorker}, with a servlet deployment,
 * installed as the Boot glue ({@code ServletServerFactories},
 * {@code UndertowListenSocket}, {@code UndertowWorkerOwner}) installs it.
 */
final class UndertowFixture implements ContainerFixture {

	/**
	 * How long the worker waits for connections accepted in the drain's last moments, at
	 * the least: {@code UndertowWorkerOwner}'s.
	 */
	private static final Duration GRACE = Duration.ofMillis(500);

	@Override
	public String name() {
		return "undertow";
	}

	@Override
	public boolean tracksConnectionsBeforeTheirFirstRequest() {
		return false;
	}

	@Override
	public boolean closesHttp2ConnectionsWithGoAway() {
		return false;
	}

	@Override
	public boolean drainsAcceptQueue() {
		return false;
	}

	@Override
	public BareServer start(ServerOptions options) throws Exception {
		HttpTerminator terminator = new HttpTerminator(options.settings());
		DrainableWorker worker = DrainableWorker.create(null, null);
		TestServlet servlet = new TestServlet();
		DeploymentInfo deployment = Servlets.deployment()
			.setClassLoader(UndertowFixture.class.getClassLoader())
			.setContextPath("/")
			.setDeploymentName("test")
			.addServlet(Servlets.servlet("test", TestServlet.class, new ImmediateInstanceFactory<>(servlet))
				.addMapping("/"))
			.addServletContextAttribute(WebSocketDeploymentInfo.ATTRIBUTE_NAME,
					new WebSocketDeploymentInfo().setWorker(worker.worker())
						.setBuffers(new DefaultByteBufferPool(false, 8192))
						.addEndpoint(EchoEndpoint.class));
		AtomicReference<Undertow> undertow = new AtomicReference<>();
		install(terminator, deployment, worker, undertow, options);
		DeploymentManager manager = Servlets.defaultContainer().addDeployment(deployment);
		manager.deploy();
		Undertow.Builder builder = Undertow.builder().setWorker(worker.worker()).setHandler(manager.start());
		if (options.tls()) {
			builder.addHttpsListener(0, "127.0.0.1", Tls.serverContext());
		}
		else {
			builder.addHttpListener(0, "127.0.0.1");
		}
		if (options.http2()) {
			builder.setServerOption(UndertowOptions.ENABLE_HTTP2, true);
		}
		undertow.set(builder.build());
		undertow.get().start();
		if (options.closeWebSocketsOnDrain()) {
			terminator.addListener(WebSocketCloser.onDrainStart("undertow",
					new UndertowWebSocketCloser(manager.getDeployment().getServletContext())));
		}
		int port = ((InetSocketAddress) undertow.get().getListenerInfo().get(0).getAddress()).getPort();
		return new Bare(undertow.get(), manager, worker, port, terminator, servlet, options.tls());
	}

	// What the Undertow server factory customizer and UndertowListenSocket do in a Boot
	// application: on terminator's worker, stop() closes the listen socket alone.
	private static void install(HttpTerminator terminator, DeploymentInfo deployment, DrainableWorker worker,
			AtomicReference<Undertow> undertow, ServerOptions options) {
		deployment
			.addFilter(Servlets
				.filter("connectionClose", ConnectionCloseFilter.class,
						new ImmediateInstanceFactory<>(
								new ConnectionCloseFilter(options.closingConnections(terminator))))
				.setAsyncSupported(true));
		for (DispatcherType dispatcher : new DispatcherType[] { DispatcherType.REQUEST, DispatcherType.ASYNC,
				DispatcherType.ERROR }) {
			deployment.addFilterUrlMapping("connectionClose", "/*", dispatcher);
		}
		UndertowAdapter adapter = new UndertowAdapter(() -> {
			if (worker.runs(undertow.get())) {
				undertow.get().stop();
			}
			return QueuedConnections.notDrained();
		});
		terminator.install(adapter);
		deployment.addInitialHandlerChainWrapper(adapter.handlerWrapper());
	}

	private static final class Bare extends StartedServer {

		private final Undertow undertow;

		private final DeploymentManager manager;

		private final DrainableWorker worker;

		Bare(Undertow undertow, DeploymentManager manager, DrainableWorker worker, int port, HttpTerminator terminator,
				TestServlet servlet, boolean tls) {
			super("Undertow", port, terminator, servlet, tls);
			this.undertow = undertow;
			this.manager = manager;
			this.worker = worker;
		}

		// Boot's order: the web server stops (its listen socket, if the drain has not
		// closed it), the deployment with it, then the worker once the last
		// connections have closed (UndertowWorkerOwner).
		@Override
		void stopContainer() throws Exception {
			this.undertow.stop();
			this.manager.stop();
			this.manager.undeploy();
			Instant atLeast = Instant.now().plus(GRACE);
			DrainResult drain = terminator().drainResult();
			Instant waitUntil = (drain != null && drain.deadline().isAfter(atLeast)) ? drain.deadline() : atLeast;
			this.worker.shutDownAfter(terminator().connections(), waitUntil, GRACE);
		}

	}

}
