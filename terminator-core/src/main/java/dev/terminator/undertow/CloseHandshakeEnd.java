package dev.terminator.undertow;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.undertow.websockets.core.WebSocketChannel;
import org.xnio.IoUtils;

/**
 * Closes the connection of a WebSocket that the server began to close, once the client's
 * close frame has arrived: the drain then counts it completed.
 *
 * <p>
 * Undertow 2.3 closes the connection when the client began the close handshake, but when
 * the server began it, Undertow only shuts its output after its close frame and waits for
 * the client to close the TCP connection. RFC 6455 (section 7.1.1) leaves that to the
 * server, and a client that follows it, or a proxy, keeps its end open: the connection
 * would hold the drain until its timeout. Undertow reports the client's close frame to no
 * listener a terminator can add, so this checks for it on the connection's IO thread
 * every {@link #CHECK_INTERVAL_MILLIS} ms until it comes or the connection closes: at the
 * latest when the drain cuts it at its timeout, or the worker stops.
 */
final class CloseHandshakeEnd implements Runnable {

	private static final long CHECK_INTERVAL_MILLIS = 10;

	private final WebSocketChannel channel;

	private CloseHandshakeEnd(WebSocketChannel channel) {
		this.channel = channel;
	}

	/**
	 * Close the channel once the client has answered the close frame that the server sent
	 * or is sending.
	 * @param channel the channel of a session being closed
	 */
	static void closeWhenAnswered(WebSocketChannel channel) {
		CloseHandshakeEnd end = new CloseHandshakeEnd(channel);
		try {
			channel.getIoThread().execute(end);
		}
		catch (RejectedExecutionException ex) {
			// The worker is stopping and closes the connection itself.
		}
	}

	@Override
	public void run() {
		if (!this.channel.isOpen()) {
			return;
		}
		if (this.channel.isCloseFrameSent() && this.channel.isCloseFrameReceived()) {
			IoUtils.safeClose(this.channel);
		}
		else {
			try {
				this.channel.getIoThread().executeAfter(this, CHECK_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
			}
			catch (RejectedExecutionException ex) {
				// The worker is stopping and closes the connection itself.
			}
		}
	}

}
