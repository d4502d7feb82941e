package dev.terminator.sample.e2e;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

/**
 * TLS for the sample app under test: the self-signed certificate in {@code tls/cert.pem}
 * (for {@code localhost} and {@code 127.0.0.1}), served through the standard
 * {@code server.ssl.*} properties. Clients trust it through {@code testsupport.Tls},
 * which reads the same certificate.
 */
final class ServerTls {

	private ServerTls() {
	}

	/**
	 * The arguments that give the sample app's server the test certificate.
	 * @return {@code --server.ssl.*} arguments with file locations
	 */
	static List<String> serverArguments() {
		return List.of("--server.ssl.certificate=file:" + resource("tls/cert.pem"),
				"--server.ssl.certificate-private-key=file:" + resource("tls/key.pem"));
	}

	private static Path resource(String name) {
		try {
			return Path.of(ServerTls.class.getClassLoader().getResource(name).toURI());
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
