package dev.terminator.sample.e2e;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * One HTTP/1.1 keep-alive connection on a raw socket to the sample app, to see exactly what the server sends and
 * when it closes the connection.
 */
final class RawHttpConnection implements AutoCloseable {

	private static final Duration READ_TIMEOUT = Duration.ofSeconds(20);

	private final Socket socket;

	private final InputStream in;

	private final OutputStream out;

	private RawHttpConnection(Socket socket) throws IOException {
		this.socket = socket;
		this.socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
		this.in = new BufferedInputStream(socket.getInputStream());
		this.out = socket.getOutputStream();
	}

	/**
	 * Connect to a loopback port.
	 * @param port the port
	 * @param tls the client TLS context, or {@code null} for plain HTTP
	 * @return the connection
	 * @throws IOException if the connection is refused or the handshake fails
	 */
	static RawHttpConnection open(int port, SSLContext tls) throws IOException {
		Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
		if (tls != null) {
			SSLSocket sslSocket = (SSLSocket) tls.getSocketFactory().createSocket(socket, "localhost", port, true);
			sslSocket.startHandshake();
			socket = sslSocket;
		}
		return new RawHttpConnection(socket);
	}

	/**
	 * Send a GET request without reading the response.
	 * @param path the path and query
	 * @throws IOException if the connection fails
	 */
	void send(String path) throws IOException {
		this.out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
		this.out.flush();
	}

	Response get(String path) throws IOException {
		send(path);
		return readResponse();
	}

	Response readResponse() throws IOException {
		String statusLine = readLine();
		if (statusLine == null) {
			throw new SocketException("Connection closed before a response");
		}
		int status = Integer.parseInt(statusLine.split(" ")[1]);
		Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		for (String line = readLine(); line != null && !line.isEmpty(); line = readLine()) {
			int colon = line.indexOf(':');
			headers.merge(line.substring(0, colon).trim(), line.substring(colon + 1).trim(), (a, b) -> a + ", " + b);
		}
		return new Response(status, headers, readBody(headers));
	}

	private String readBody(Map<String, String> headers) throws IOException {
		String length = headers.get("Content-Length");
		if (length != null) {
			return new String(this.in.readNBytes(Integer.parseInt(length)), StandardCharsets.UTF_8);
		}
		if (headers.getOrDefault("Transfer-Encoding", "").toLowerCase(Locale.ROOT).contains("chunked")) {
			StringBuilder body = new StringBuilder();
			for (int size = readChunkSize(); size > 0; size = readChunkSize()) {
				body.append(new String(this.in.readNBytes(size), StandardCharsets.UTF_8));
				readLine();
			}
			for (String line = readLine(); line != null && !line.isEmpty(); line = readLine()) {
				// trailers
			}
			return body.toString();
		}
		// Neither length nor chunking: the body ends when the server closes the connection.
		return new String(this.in.readAllBytes(), StandardCharsets.UTF_8);
	}

	private int readChunkSize() throws IOException {
		String sizeLine = readLine();
		if (sizeLine == null) {
			throw new SocketException("Connection closed inside a chunked body");
		}
		return Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
	}

	/**
	 * Whether the server has closed the connection, waiting at most the given time for it to do so.
	 * @param timeout the longest to wait
	 * @return {@code true} if the server closed it (end of stream or reset); {@code false} if it is still open
	 * @throws IOException if the socket cannot be read
	 */
	boolean awaitClosed(Duration timeout) throws IOException {
		this.socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
		try {
			int read = this.in.read();
			if (read != -1) {
				throw new IllegalStateException("Server sent unexpected data on a connection expected to be idle");
			}
			return true;
		}
		catch (SocketTimeoutException ex) {
			return false;
		}
		catch (SocketException ex) {
			return true;
		}
		finally {
			if (!this.socket.isClosed()) {
				this.socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
			}
		}
	}

	private String readLine() throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int b;
		while ((b = this.in.read()) != -1) {
			if (b == '\n') {
				String text = line.toString(StandardCharsets.ISO_8859_1);
				return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
			}
			line.write(b);
		}
		return (line.size() > 0) ? line.toString(StandardCharsets.ISO_8859_1) : null;
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	/**
	 * A response as received.
	 *
	 * @param status the status code
	 * @param headers the headers, names case-insensitive
	 * @param body the body
	 */
	record Response(int status, Map<String, String> headers, String body) {

		boolean asksToClose() {
			return "close".equalsIgnoreCase(this.headers.get("Connection"));
		}

	}

}
