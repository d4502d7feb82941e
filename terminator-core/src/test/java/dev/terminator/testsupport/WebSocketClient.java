package dev.terminator.testsupport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

/**
 * A WebSocket client on the JDK's {@link WebSocket}, which tells how its connection
 * ended: the close code the server sent, or {@link #ABNORMAL_CLOSURE} when the connection
 * ended without a close frame.
 */
public final class WebSocketClient implements AutoCloseable {

	/**
	 * The code for a connection that ended without a close frame (RFC 6455 section
	 * 7.4.1).
	 */
	public static final int ABNORMAL_CLOSURE = 1006;

	private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();

	private final CompletableFuture<Closed> closed = new CompletableFuture<>();

	private final StringBuilder partial = new StringBuilder();

	private final WebSocket webSocket;

	private WebSocketClient(ServerAddress server, String path) throws Exception {
		HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
		SSLContext tls = server.clientTls();
		if (tls != null) {
			client.sslContext(tls);
		}
		URI uri = URI.create((server.isTls() ? "wss" : "ws") + "://127.0.0.1:" + server.port() + path);
		this.webSocket = client.build().newWebSocketBuilder().buildAsync(uri, new Listener()).get(5, TimeUnit.SECONDS);
	}

	/**
	 * Open a WebSocket to the server.
	 * @param server the server
	 * @param path the endpoint's path
	 * @return the open client
	 * @throws Exception if the handshake fails
	 */
	public static WebSocketClient open(ServerAddress server, String path) throws Exception {
		return new WebSocketClient(server, path);
	}

	public void send(String text) throws Exception {
		this.webSocket.sendText(text, true).get(5, TimeUnit.SECONDS);
	}

	/**
	 * The next text message from the server.
	 * @return the message, or {@code null} if none arrived within 5 s
	 * @throws InterruptedException if interrupted while waiting
	 */
	public String receive() throws InterruptedException {
		return this.messages.poll(5, TimeUnit.SECONDS);
	}

	/**
	 * How the connection ended, once it has.
	 * @return completes with the close
	 */
	public CompletableFuture<Closed> closed() {
		return this.closed;
	}

	@Override
	public void close() {
		this.webSocket.abort();
	}

	/**
	 * How a connection ended.
	 *
	 * @param code the status code of the server's close frame, or
	 * {@link #ABNORMAL_CLOSURE}
	 * @param reason the reason of the close frame, empty if none
	 * @param atNanos when the client saw it, as {@link System#nanoTime()}
	 */
	public record Closed(int code, String reason, long atNanos) {

	}

	private final class Listener implements WebSocket.Listener {

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			WebSocketClient.this.partial.append(data);
			if (last) {
				WebSocketClient.this.messages.add(WebSocketClient.this.partial.toString());
				WebSocketClient.this.partial.setLength(0);
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			WebSocketClient.this.closed.complete(new Closed(statusCode, reason, System.nanoTime()));
			// Answer the close, as browsers do, so that the server can end the connection
			// cleanly.
			return webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "");
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			WebSocketClient.this.closed
				.complete(new Closed(ABNORMAL_CLOSURE, String.valueOf(error), System.nanoTime()));
		}

	}

}
