package dev.terminator.autoconfigure;

import dev.terminator.core.HttpTerminator;
import dev.terminator.tomcat.TrackingHttp11NioProtocol;
import org.apache.catalina.connector.Connector;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * Puts Tomcat's main connector on {@link TrackingHttp11NioProtocol} and hands it the terminator.
 */
class TomcatTerminatorCustomizer implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

	private static final Log logger = LogFactory.getLog(TomcatTerminatorCustomizer.class);

	private final HttpTerminator terminator;

	TomcatTerminatorCustomizer(HttpTerminator terminator) {
		this.terminator = terminator;
	}

	@Override
	public void customize(TomcatServletWebServerFactory factory) {
		factory.setProtocol(TrackingHttp11NioProtocol.class.getName());
		factory.addConnectorCustomizers(this::track);
	}

	private void track(Connector connector) {
		if (connector.getProtocolHandler() instanceof TrackingHttp11NioProtocol protocol) {
			protocol.trackWith(this.terminator);
		}
		else {
			logger.warn("terminator cannot track the connections of Tomcat protocol "
					+ connector.getProtocolHandler().getClass().getName() + ": only its listen socket will be closed"
					+ " on shutdown. Leave the protocol at its default (NIO) to drain keep-alive connections.");
			this.terminator.attach("tomcat", connector.getProtocolHandler()::closeServerSocketGraceful);
		}
	}

}
