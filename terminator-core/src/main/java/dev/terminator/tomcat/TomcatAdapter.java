package dev.terminator.tomcat;

import java.util.List;

import dev.terminator.core.HttpTerminator;
import dev.terminator.core.QueuedConnections;
import dev.terminator.core.RequestThreads;
import dev.terminator.core.ServerAdapter;
import dev.terminator.core.ServerBinding;
import dev.terminator.core.UntrackedConnector;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.tomcat.util.net.AbstractEndpoint;

/**
 * Hands the connections of a Tomcat {@link Connector} to a {@link HttpTerminator}: one
 * adapter per connector, {@link HttpTerminator#install installed} before the connector
 * starts. The connector must run on {@link TrackingHttp11NioProtocol} (set its protocol
 * class name to it before the connector is created); on any other protocol only its
 * listen socket is closed on drain, and {@link #install} says so, for the caller to tell
 * the user.
 *
 * <p>
 * The connector must bind its listen socket when it starts ({@code bindOnInit} false, as
 * Spring Boot sets it): Tomcat closes a socket bound at init only when the connector is
 * destroyed, so a connector left on Tomcat's default keeps accepting through the drain.
 */
public final class TomcatAdapter implements ServerAdapter {

	private final Connector connector;

	/**
	 * Create the adapter of a connector.
	 * @param connector the connector, not yet started
	 */
	public TomcatAdapter(Connector connector) {
		this.connector = connector;
	}

	@Override
	public String serverName() {
		return "tomcat";
	}

	/**
	 * Track the connections of the connector and let the drain close its listen socket.
	 * @param binding the adapter's binding
	 * @return empty if its connections are tracked; the connector, if its protocol is not
	 * {@link TrackingHttp11NioProtocol}: the drain then only pauses the connector and
	 * closes its listen socket, as Spring Boot's graceful shutdown does
	 */
	@Override
	public List<UntrackedConnector> install(ServerBinding binding) {
		if (this.connector.getProtocolHandler() instanceof TrackingHttp11NioProtocol protocol) {
			protocol.trackWith(binding);
			binding.stopWithoutWaitingAfterCut(new EndpointThreads(protocol.endpoint()));
			return List.of();
		}
		// What Spring Boot's graceful shutdown does to a connector: paused first, so that
		// an acceptor that does not expect its listen socket to close under it (NIO2's
		// fails on it) stops accepting instead.
		binding.addListenSocket(() -> {
			this.connector.pause();
			this.connector.getProtocolHandler().closeServerSocketGraceful();
			return QueuedConnections.notDrained();
		});
		String protocol = this.connector.getProtocolHandler().getClass().getName();
		return List.of(new UntrackedConnector("Tomcat protocol " + protocol,
				"it is not " + TrackingHttp11NioProtocol.class.getSimpleName()));
	}

	/**
	 * Let the context stop without waiting for servlets still in use. The drain runs
	 * before the context stops, so a servlet still in use then is one whose connection
	 * the drain cut, in a handler that ignores interruption. Tomcat would wait up to the
	 * context's unload delay (2 s) for it, each time it stops. Its servlets copy that
	 * delay when they are added, with no setter of their own, hence set here, before the
	 * context starts, rather than when the drain turns out to have cut something. A
	 * context that drained cleanly has no servlet in use: the setting costs nothing
	 * there. Not 0: Tomcat waits up to 21 times a twentieth of the delay, and Tomcat
	 * 11.0.27 waits with {@code Object.wait}, where 0 means until notified, which nothing
	 * does: the stop would hang. 20 ms gives 21 waits of 1 ms.
	 * @param context the context, not yet started
	 */
	public static void releaseServletsOnStop(Context context) {
		if (context instanceof StandardContext standardContext) {
			standardContext.setUnloadDelay(20);
		}
	}

	@Override
	public String toString() {
		return "TomcatAdapter[" + this.connector + "]";
	}

	/**
	 * The request threads of a connector's endpoint. Tomcat's stop waits for them up to
	 * the endpoint's executor termination timeout, which its public setter sets to zero.
	 * (The other wait, for the servlet such a thread is in, is the context's unload
	 * delay: see {@link TomcatAdapter#releaseServletsOnStop}.)
	 */
	private static final class EndpointThreads implements RequestThreads {

		private final AbstractEndpoint<?, ?> endpoint;

		EndpointThreads(AbstractEndpoint<?, ?> endpoint) {
			this.endpoint = endpoint;
		}

		@Override
		public void stopWithoutWaiting() {
			this.endpoint.setExecutorTerminationTimeoutMillis(0);
		}

		@Override
		public int busyCount() {
			return this.endpoint.getCurrentThreadsBusy();
		}

	}

}
