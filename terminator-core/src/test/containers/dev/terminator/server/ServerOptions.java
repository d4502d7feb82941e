package dev.terminator.server;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import dev.terminator.core.HttpTerminator;
import dev.terminator.core.TerminatorSettings;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link BareServer} is started.
 *
 * @param settings the terminator's settings
 * @param tls whether the server listens with TLS
 * @param http2 whether it speaks HTTP/2: h2 through ALPN with TLS, h2c with prior
 * knowledge without
 * @param closeWebSocketsOnDrain whether the container's WebSocket closer is installed
 * @param closingConnections what tells the {@code ConnectionCloseFilter} that connections
 * are closing, or {@code null} for the terminator, as installed
 * @param maxConnections the connections at which the server stops accepting, and the
 * kernel queues new ones: Tomcat's {@code maxConnections} (its acceptor waits), Jetty's
 * connector stopped accepting as its connection limit does (without the limit's closing
 * of connections accepted over it); -1 for none; Undertow ignores it
 * @param acceptors Jetty's acceptor threads, as {@code server.jetty.threads.acceptors}
 * sets them (0: its selector accepts), or -1 for Jetty's default (one); Reactor Netty: 0
 * for the NIO transport, else its native one (epoll on Linux); the others ignore it
 */
public record ServerOptions(TerminatorSettings settings, boolean tls, boolean http2, boolean closeWebSocketsOnDrain,
		@Nullable BooleanSupplier closingConnections, int maxConnections, int acceptors) {

	static ServerOptions defaults(boolean tls) {
		return new ServerOptions(TerminatorSettings.DEFAULTS, tls, false, true, null, -1, -1);
	}

	/**
	 * What the {@code ConnectionCloseFilter} of a server with this terminator asks.
	 * @param terminator the server's terminator
	 * @return whether connections are closing
	 */
	BooleanSupplier closingConnections(HttpTerminator terminator) {
		return (this.closingConnections != null) ? this.closingConnections : terminator::isClosingConnections;
	}

	public ServerOptions withQuietPeriod(Duration quietPeriod) {
		return new ServerOptions(
				new TerminatorSettings(this.settings.timeout(), this.settings.shutdownDelay(), quietPeriod), this.tls,
				this.http2, this.closeWebSocketsOnDrain, this.closingConnections, this.maxConnections, this.acceptors);
	}

	public ServerOptions withTimeout(Duration timeout) {
		return new ServerOptions(
				new TerminatorSettings(timeout, this.settings.shutdownDelay(), this.settings.quietPeriod()), this.tls,
				this.http2, this.closeWebSocketsOnDrain, this.closingConnections, this.maxConnections, this.acceptors);
	}

	public ServerOptions withHttp2() {
		return new ServerOptions(this.settings, this.tls, true, this.closeWebSocketsOnDrain, this.closingConnections,
				this.maxConnections, this.acceptors);
	}

	public ServerOptions withClosingConnections(BooleanSupplier closingConnections) {
		return new ServerOptions(this.settings, this.tls, this.http2, this.closeWebSocketsOnDrain, closingConnections,
				this.maxConnections, this.acceptors);
	}

	public ServerOptions withWebSocketsKeptOnDrain() {
		return new ServerOptions(this.settings, this.tls, this.http2, false, this.closingConnections,
				this.maxConnections, this.acceptors);
	}

	public ServerOptions withMaxConnections(int maxConnections) {
		return new ServerOptions(this.settings, this.tls, this.http2, this.closeWebSocketsOnDrain,
				this.closingConnections, maxConnections, this.acceptors);
	}

	public ServerOptions withAcceptors(int acceptors) {
		return new ServerOptions(this.settings, this.tls, this.http2, this.closeWebSocketsOnDrain,
				this.closingConnections, this.maxConnections, acceptors);
	}

}
