package dev.terminator.undertow;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.undertow.websockets.core.WebSocketChannel;
import org.xnio.IoUtils;

/**
 * Closes the connection of a WebSocket that the server began to close, once the client's
 * close frame has arrived: the drain then counts it completed.
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

	// When the server began the handshake, Undertow 2.3 only shuts its output after its
	// close frame and waits for the client to close the TCP connection, which RFC 6455
	// (7.1.1) leaves to the server: a client or proxy that keeps its end open would hold
	// the drain until its timeout. Undertow reports the client's close frame to no
	// listener one can add, hence the polling; it stops when the channel closes, at the
	// latest at the drain's cut or the worker's stop.
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
