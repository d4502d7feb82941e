package dev.terminator.tomcat;

import dev.terminator.core.HttpTerminator;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Hands the connections of a Tomcat {@link Connector} to a {@link HttpTerminator}. The connector must run on
 * {@link TrackingHttp11NioProtocol} (set its protocol class name to it before the connector is created); on any other
 * protocol only its listen socket is closed on drain, and a warning says so.
 */
public final class TomcatConnectorTracking {

	private static final Log logger = LogFactory.getLog(TomcatConnectorTracking.class);

	private TomcatConnectorTracking() {
	}

	/**
	 * Track the connections of the connector and let the terminator close its listen socket.
	 * @param connector the connector, not yet started
	 * @param terminator the terminator
	 */
	public static void install(Connector connector, HttpTerminator terminator) {
		if (connector.getProtocolHandler() instanceof TrackingHttp11NioProtocol protocol) {
			protocol.trackWith(terminator);
			terminator.addListener(new TomcatStopAfterCut(protocol.endpoint()));
		}
		else {
			logger.warn("terminator cannot track the connections of Tomcat protocol "
					+ connector.getProtocolHandler().getClass().getName() + ": only its listen socket will be closed"
					+ " on shutdown. Leave the protocol at its default (NIO) to drain keep-alive connections.");
			terminator.attach("tomcat", connector.getProtocolHandler()::closeServerSocketGraceful);
		}
	}

	/**
	 * Let the context stop without waiting for servlets still in use. The drain runs before the context stops, so a
	 * servlet still in use then is one whose connection the drain cut, in a handler that ignores interruption. Tomcat
	 * would wait up to the context's unload delay (2 s) for it, each time it stops. Its servlets copy that delay when
	 * they are added, with no setter of their own, hence set here, before the context starts, rather than when the
	 * drain turns out to have cut something. A context that drained cleanly has no servlet in use: the setting costs
	 * nothing there.
	 * @param context the context, not yet started
	 */
	public static void releaseServletsOnStop(Context context) {
		if (context instanceof StandardContext standardContext) {
			standardContext.setUnloadDelay(0);
		}
	}

}
