package dev.terminator.tomcat;

import dev.terminator.core.HttpTerminator;
import org.apache.coyote.http11.Http11NioProtocol;

/**
 * Tomcat's NIO HTTP/1.1 protocol (with TLS and HTTP/2 upgrade as usual) whose endpoint reports every socket to a
 * {@link HttpTerminator}. Tomcat instantiates it by class name, so it has a public no-argument constructor; the
 * terminator is handed over with {@link #trackWith(HttpTerminator)} before the connector starts.
 */
public class TrackingHttp11NioProtocol extends Http11NioProtocol {

	public TrackingHttp11NioProtocol() {
		super(new TrackingNioEndpoint());
	}

	/**
	 * Report this connector's sockets to the terminator and let it close the listen socket when it drains.
	 * @param terminator the terminator
	 */
	public void trackWith(HttpTerminator terminator) {
		((TrackingNioEndpoint) getEndpoint()).trackWith(terminator.connections());
		// Closes the listen socket only: unlike Connector.pause(), it leaves keep-alive sockets able to send their
		// next request, which then gets Connection: close.
		terminator.attach("tomcat", this::closeServerSocketGraceful);
	}

}
