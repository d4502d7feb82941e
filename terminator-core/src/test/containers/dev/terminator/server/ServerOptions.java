package dev.terminator.server;

import java.time.Duration;

import dev.terminator.core.TerminatorSettings;

/**
 * How a {@link BareServer} is started.
 *
 * @param settings the terminator's settings
 * @param tls whether the server listens with TLS
 * @param http2 whether it speaks HTTP/2: h2 through ALPN with TLS, h2c with prior
 * knowledge without
 * @param closeWebSocketsOnDrain whether the container's WebSocket closer is installed
 */
public record ServerOptions(TerminatorSettings settings, boolean tls, boolean http2, boolean closeWebSocketsOnDrain) {

	static ServerOptions defaults(boolean tls) {
		return new ServerOptions(TerminatorSettings.DEFAULTS, tls, false, true);
	}

	ServerOptions withQuietPeriod(Duration quietPeriod) {
		return new ServerOptions(
				new TerminatorSettings(this.settings.timeout(), this.settings.shutdownDelay(), quietPeriod), this.tls,
				this.http2, this.closeWebSocketsOnDrain);
	}

	ServerOptions withTimeout(Duration timeout) {
		return new ServerOptions(
				new TerminatorSettings(timeout, this.settings.shutdownDelay(), this.settings.quietPeriod()), this.tls,
				this.http2, this.closeWebSocketsOnDrain);
	}

	ServerOptions withHttp2() {
		return new ServerOptions(this.settings, this.tls, true, this.closeWebSocketsOnDrain);
	}

	ServerOptions withWebSocketsKeptOnDrain() {
		return new ServerOptions(this.settings, this.tls, this.http2, false);
	}

}
