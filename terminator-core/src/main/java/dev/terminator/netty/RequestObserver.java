package dev.terminator.netty;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http2.Http2StreamChannel;
import reactor.netty.Connection;
import reactor.netty.ConnectionObserver;
import reactor.netty.channel.ChannelOperations;
import reactor.netty.http.server.HttpServerRequest;
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
		Channel channel = connection.channel();
		if (channel instanceof Http2StreamChannel stream) {
			TrackedChannel socket = TrackedChannel.of(stream.parent());
			if (socket != null && newState == State.CONNECTED) {
				socket.streamOpened(stream);
			}
			return;
		}
		// Not the socket's own connection (CONNECTED once, DISCONNECTING as it closes):
		// the accept and the close are seen by the tracked channel itself.
		if (!(connection instanceof ChannelOperations<?, ?>)) {
			return;
		}
		TrackedChannel socket = TrackedChannel.of(channel);
		if (socket == null) {
			return;
		}
		if (newState == State.CONFIGURED) {
			if (connection instanceof WebsocketOutbound) {
				socket.upgraded();
			}
			else {
				socket.requestStarted();
			}
		}
		else if (newState == State.DISCONNECTING && !(connection instanceof WebsocketOutbound)) {
			// A WebSocket's end closes its socket: it never turns idle.
			socket.requestEnded(isClosing(connection));
		}
	}

	// What makes Reactor Netty's HttpTrafficHandler close the socket after the
	// response.
	private static boolean isClosing(Connection connection) {
		if (connection instanceof HttpServerRequest request && !request.isKeepAlive()) {
			return true;
		}
		return connection instanceof HttpServerResponse response
				&& response.responseHeaders().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true);
	}

}
