package dev.terminator.netty;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http2.Http2StreamChannel;
import reactor.netty.Connection;
import reactor.netty.ConnectionObserver;
import reactor.netty.channel.ChannelOperations;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.websocket.WebsocketOutbound;

/**
 * Tells idle sockets from active ones, from Reactor Netty's connection states, all
 * reported on the socket's event loop. HTTP/1.1: a request's operations are
 * {@code CONFIGURED} before its handler runs and {@code DISCONNECTING} once its response
 * is written. HTTP/2: each stream is a channel of its own, {@code CONNECTED} when it
 * opens, whose close ends it.
 */
final class RequestObserver implements ConnectionObserver {

	@Override
	public void onStateChange(Connection connection, State newState) {
		// Runs twice per request: the checks that end an HTTP/1.1 request's path come
		// first, and as few type checks against interfaces as can tell the cases apart
		// (each failing one scans the class's interfaces).
		if (newState != State.CONFIGURED && newState != State.DISCONNECTING && newState != State.CONNECTED) {
			return;
		}
		Channel channel = connection.channel();
		TrackedChannel socket = TrackedChannel.of(channel);
		if (socket == null) {
			if (newState == State.CONNECTED && channel instanceof Http2StreamChannel stream) {
				TrackedChannel parent = TrackedChannel.of(stream.parent());
				if (parent != null) {
					parent.streamOpened(stream);
				}
			}
			return;
		}
		// Not the socket's own connection (CONNECTED once, DISCONNECTING as it closes):
		// the accept and the close are seen by the tracked channel itself.
		if (newState == State.CONNECTED || !(connection instanceof ChannelOperations<?, ?>)) {
			return;
		}
		if (newState == State.CONFIGURED) {
			// A request, or the WebSocket it was upgraded to: active until it closes
			// (the socket closes with the WebSocket, which never turns idle).
			socket.requestStarted();
		}
		else if (!(connection instanceof WebsocketOutbound)) {
			socket.requestEnded(isClosing(connection));
		}
	}

	// What makes Reactor Netty's HttpTrafficHandler close the socket after the
	// response.
	private static boolean isClosing(Connection connection) {
		return connection instanceof HttpServerResponse response && (!response.isKeepAlive()
				|| response.responseHeaders().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true));
	}

}
