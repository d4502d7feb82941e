package dev.terminator.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for tests: the self-signed certificate in {@code tls/cert.pem} (for
 * {@code localhost} and {@code 127.0.0.1}), served with {@code tls/key.pem} and trusted
 * by the clients.
 */
public final class Tls {

	public static final String[] SERVER_PROPERTIES = { "server.ssl.certificate=classpath:tls/cert.pem",
			"server.ssl.certificate-private-key=classpath:tls/key.pem" };

	private Tls() {
	}

	/**
	 * The password of {@link #serverKeyStore()} and of its key.
	 */
	public static final String KEY_STORE_PASSWORD = "secret";

	/**
	 * The alias of the server's key in {@link #serverKeyStore()}.
	 */
	public static final String KEY_ALIAS = "server";

	public static SSLContext clientContext() {
		try {
			KeyStore trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
			trustStore.load(null, null);
			trustStore.setCertificateEntry("test", certificate());
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

	/**
	 * The server's key and certificate, for a bare container's connector.
	 * @return a key store holding them under {@link #KEY_ALIAS}, with
	 * {@link #KEY_STORE_PASSWORD}
	 */
	public static KeyStore serverKeyStore() {
		try {
			String pem = resource("/tls/key.pem").replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
			PrivateKey key = KeyFactory.getInstance("RSA")
				.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
			KeyStore keyStore = KeyStore.getInstance("PKCS12");
			keyStore.load(null, null);
			keyStore.setKeyEntry(KEY_ALIAS, key, KEY_STORE_PASSWORD.toCharArray(), new Certificate[] { certificate() });
			return keyStore;
		}
		catch (Exception ex) {
			throw new IllegalStateException("Cannot load the test key", ex);
		}
	}

	/**
	 * The server's side of TLS, for a bare container that takes an {@link SSLContext}.
	 * @return the context
	 */
	public static SSLContext serverContext() {
		try {
			KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
			keys.init(serverKeyStore(), KEY_STORE_PASSWORD.toCharArray());
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(keys.getKeyManagers(), null, null);
			return context;
		}
		catch (Exception ex) {
			throw new IllegalStateException("Cannot load the test key", ex);
		}
	}

	private static Certificate certificate() throws Exception {
		try (InputStream pem = Tls.class.getResourceAsStream("/tls/cert.pem")) {
			return CertificateFactory.getInstance("X.509").generateCertificate(pem);
		}
	}

	private static String resource(String name) throws IOException {
		try (InputStream in = Tls.class.getResourceAsStream(name)) {
			return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
		}
	}

}
