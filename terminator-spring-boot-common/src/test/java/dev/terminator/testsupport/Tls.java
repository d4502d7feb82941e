package dev.terminator.testsupport;

import java.io.InputStream;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for tests: the self-signed certificate in {@code tls/cert.pem}, trusted by the
 * clients.
 */
public final class Tls {

	public static final String[] SERVER_PROPERTIES = { "server.ssl.certificate=classpath:tls/cert.pem",
			"server.ssl.certificate-private-key=classpath:tls/key.pem" };

	private Tls() {
	}

	public static SSLContext clientContext() {
		try (InputStream pem = Tls.class.getResourceAsStream("/tls/cert.pem")) {
			Certificate certificate = CertificateFactory.getInstance("X.509").generateCertificate(pem);
			KeyStore trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
			trustStore.load(null, null);
			trustStore.setCertificateEntry("test", certificate);
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

}
