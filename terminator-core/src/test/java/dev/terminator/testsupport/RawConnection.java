package dev.terminator.testsupport;

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
 * One HTTP/1.1 connection on a raw socket, to see exactly what the server sends and when
 * it closes.
 */
public final class RawConnection implements AutoCloseable {

	private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

	private final Socket socket;

	private final InputStream in;

	private final OutputStream out;

	private RawConnection(Socket socket) throws IOException {
		this.socket = socket;
		this.socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
		this.in = new BufferedInputStream(socket.getInputStream());
		this.out = socket.getOutputStream();
	}

	public static RawConnection open(int port, SSLContext tls) throws IOException {
		Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
		if (tls != null) {
			SSLSocket sslSocket = (SSLSocket) tls.getSocketFactory().createSocket(socket, "localhost", port, true);
			sslSocket.startHandshake();
			socket = sslSocket;
		}
		return new RawConnection(socket);
	}

	/**
	 * Send a request without reading the response.
	 */
	public void send(String method, String path, String body) throws IOException {
		StringBuilder request = new StringBuilder();
		request.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: localhost\r\n");
		if (body != null) {
			request.append("Content-Type: text/plain\r\nContent-Length: ")
				.append(body.getBytes(StandardCharsets.UTF_8).length)
				.append("\r\n");
		}
		request.append("\r\n");
		if (body != null) {
			request.append(body);
		}
		sendRaw(request.toString());
	}

	public void sendRaw(String text) throws IOException {
		this.out.write(text.getBytes(StandardCharsets.UTF_8));
		this.out.flush();
	}

	public Response get(String path) throws IOException {
		send("GET", path, null);
		return readResponse();
	}

	public Response readResponse() throws IOException {
		Head head = readHead();
		return new Response(head.status(), head.headers(), readBody(head));
	}

	/**
	 * Read the status line and headers only.
	 */
	public Head readHead() throws IOException {
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
		return new Head(status, headers);
	}

	/**
	 * Read one chunk of a chunked body.
	 * @return the chunk's text, or {@code null} for the last (empty) chunk
	 */
	public String readChunk() throws IOException {
		String sizeLine = readLine();
		if (sizeLine == null) {
			throw new SocketException("Connection closed inside a chunked body");
		}
		int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
		if (size == 0) {
			for (String line = readLine(); line != null && !line.isEmpty(); line = readLine()) {
				// trailers
			}
			return null;
		}
		String chunk = new String(this.in.readNBytes(size), StandardCharsets.UTF_8);
		readLine();
		return chunk;
	}

	public String readBody(Head head) throws IOException {
		String length = head.headers().get("Content-Length");
		if (length != null) {
			return new String(this.in.readNBytes(Integer.parseInt(length)), StandardCharsets.UTF_8);
		}
		String encoding = head.headers().getOrDefault("Transfer-Encoding", "");
		if (encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
			StringBuilder body = new StringBuilder();
			for (String chunk = readChunk(); chunk != null; chunk = readChunk()) {
				body.append(chunk);
			}
			return body.toString();
		}
		return new String(this.in.readAllBytes(), StandardCharsets.UTF_8);
	}

	/**
	 * Wait for the server to close the connection.
	 * @param timeout the longest to wait
	 * @return {@code true} if the server closed it (end of stream or reset) within the
	 * timeout; {@code false} if it is still open, or sent more data
	 */
	public boolean awaitClosed(Duration timeout) throws IOException {
		this.socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
		try {
			return this.in.read() == -1;
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

	/**
	 * Read and discard whatever the server still sends until it closes the connection.
	 * @return the number of bytes read before the end of the stream or a reset
	 */
	public long readUntilClosed() throws IOException {
		long count = 0;
		byte[] buffer = new byte[64 * 1024];
		try {
			for (int read = this.in.read(buffer); read != -1; read = this.in.read(buffer)) {
				count += read;
			}
		}
		catch (SocketTimeoutException ex) {
			throw ex;
		}
		catch (IOException ex) {
			// A reset, or TLS cut without close_notify: closed all the same.
		}
		return count;
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

	public record Head(int status, Map<String, String> headers) {

		public boolean asksToClose() {
			return "close".equalsIgnoreCase(this.headers.get("Connection"));
		}

	}

	public record Response(int status, Map<String, String> headers, String body) {

		public boolean asksToClose() {
			return "close".equalsIgnoreCase(this.headers.get("Connection"));
		}

	}

}
