package dev.terminator.testsupport;

import java.io.IOException;
import java.net.URI;

import javax.net.ssl.SSLContext;

/**
 * Where a server under test listens, on loopback, plain or TLS: what the clients of the
 * test support need to reach it, whether it runs in a Spring Boot application or bare.
 */
public interface ServerAddress {

	int port();

	boolean isTls();

	/**
	 * The TLS context a client trusts the test certificate with.
	 * @return the context, or {@code null} if the server is plain
	 */
	default SSLContext clientTls() {
		return isTls() ? Tls.clientContext() : null;
	}

	default URI uri(String path) {
		return URI.create((isTls() ? "https" : "http") + "://127.0.0.1:" + port() + path);
	}

	/**
	 * Open a raw connection to the server.
	 * @return a connected socket, with TLS if the server uses it
	 * @throws IOException if the connection fails
	 */
	default RawConnection connect() throws IOException {
		return RawConnection.open(port(), clientTls());
	}

}
