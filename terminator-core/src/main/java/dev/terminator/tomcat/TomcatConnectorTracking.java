package dev.terminator.tomcat;

import dev.terminator.core.HttpTerminator;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;

/**
 * Hands the connections of a Tomcat {@link Connector} to a {@link HttpTerminator}. The
 * connector must run on {@link TrackingHttp11NioProtocol} (set its protocol class name to
 * it before the connector is created); on any other protocol only its listen socket is
 * closed on drain, and {@link #install} says so, for the caller to tell the user.
 */
public final class TomcatConnectorTracking {

	private TomcatConnectorTracking() {
	}

	/**
	 * Track the connections of the connector and let the terminator close its listen
	 * socket.
	 * @param connector the connector, not yet started
	 * @param terminator the terminator
	 * @return {@code true} if its connections are tracked; {@code false} if its protocol
	 * is not {@link TrackingHttp11NioProtocol}: the drain then only pauses the connector
	 * and closes its listen socket, as Spring Boot's graceful shutdown does
	 */
	public static boolean install(Connector connector, HttpTerminator terminator) {
		if (connector.getProtocolHandler() instanceof TrackingHttp11NioProtocol protocol) {
			protocol.trackWith(terminator);
			terminator.addListener(new TomcatStopAfterCut(protocol.endpoint()));
			return true;
		}
		// What Spring Boot's graceful shutdown does to a connector: paused first, so that
		// an acceptor that does not expect its listen socket to close under it (NIO2's
		// fails on it) stops accepting instead.
		terminator.attach("tomcat", () -> {
			connector.pause();
			connector.getProtocolHandler().closeServerSocketGraceful();
		});
		return false;
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

}
