package dev.terminator.tomcat;

import dev.terminator.core.HttpTerminator;
import dev.terminator.core.ServerBinding;
import org.apache.coyote.http11.Http11NioProtocol;

/**
 * Tomcat's NIO HTTP/1.1 protocol (with TLS and HTTP/2 upgrade as usual) whose endpoint
 * reports every socket to a {@link HttpTerminator}. Tomcat instantiates it by class name,
 * so it has a public no-argument constructor; a {@link TomcatAdapter} hands it its
 * binding to the terminator before the connector starts.
 */
public class TrackingHttp11NioProtocol extends Http11NioProtocol {

	// Kept here rather than read back with getEndpoint(): that method returns
	// AbstractJsseEndpoint in Tomcat 10.1 and AbstractEndpoint in Tomcat 11, so a call
	// compiled against one fails with NoSuchMethodError on the other.
	private final TrackingNioEndpoint endpoint;

	public TrackingHttp11NioProtocol() {
		this(new TrackingNioEndpoint());
	}

	private TrackingHttp11NioProtocol(TrackingNioEndpoint endpoint) {
		super(endpoint);
		this.endpoint = endpoint;
	}

	/**
	 * Report this connector's sockets to the terminator and let it close the listen
	 * socket when it drains.
	 * @param binding the adapter's binding
	 */
	void trackWith(ServerBinding binding) {
		this.endpoint.trackWith(binding);
		// Closes the listen socket only, as closeServerSocketGraceful() does: unlike
		// Connector.pause(), it leaves keep-alive sockets able to send their next
		// request, which then gets Connection: close. The accept queue is served first.
		binding.addListenSocket(this.endpoint::closeServerSocketDraining);
		binding.addListener(new IdleHttp2Closer(this, this.endpoint));
	}

	TrackingNioEndpoint endpoint() {
		return this.endpoint;
	}

}
