package dev.terminator.sample.e2e;

import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for the end-to-end tests: the self-signed certificate in {@code tls/cert.pem} (for {@code localhost} and
 * {@code 127.0.0.1}), served through the standard {@code server.ssl.*} properties and trusted by the clients.
 */
final class ClientTls {

	private ClientTls() {
	}

	/**
	 * The arguments that give the sample app's server the test certificate.
	 * @return {@code --server.ssl.*} arguments with file locations
	 */
	static List<String> serverArguments() {
		return List.of("--server.ssl.certificate=file:" + resource("tls/cert.pem"),
				"--server.ssl.certificate-private-key=file:" + resource("tls/key.pem"));
	}

	/**
	 * A client context that trusts the test certificate.
	 * @return the context
	 */
	static SSLContext context() {
		try (InputStream pem = ClientTls.class.getResourceAsStream("/tls/cert.pem")) {
			Certificate certificate = CertificateFactory.getInstance("X.509").generateCertificate(pem);
			KeyStore trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
			trustStore.load(null, null);
			trustStore.setCertificateEntry("sample", certificate);
			TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trust.init(trustStore);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, trust.getTrustManagers(), null);
			return context;
		}
		catch (Exception ex) {
			throw new IllegalStateException("Cannot load the test certificate", ex);
		}
	}

	private static Path resource(String name) {
		try {
			return Path.of(ClientTls.class.getClassLoader().getResource(name).toURI());
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
