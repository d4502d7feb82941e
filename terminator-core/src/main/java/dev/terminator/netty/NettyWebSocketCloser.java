package dev.terminator.netty;

import reactor.core.publisher.Mono;
import reactor.netty.channel.ChannelOperations;
import reactor.netty.http.websocket.WebsocketOutbound;

import dev.terminator.core.WebSocketCloser;

/**
 * Sends every WebSocket of a Reactor Netty server a close frame 1001 (Going Away), on its
 * event loop. Reactor Netty closes the socket once the frame is written. Whoever upgraded
 * the connection, Spring's {@code ReactorNettyWebSocketSession}, Spring Cloud Gateway's
 * proxy or an application's own handler, the socket's operations are a
 * {@link WebsocketOutbound}.
 */
final class NettyWebSocketCloser implements WebSocketCloser {

	private static final int GOING_AWAY = 1001;

	private final OpenChannels channels;

	NettyWebSocketCloser(OpenChannels channels) {
		this.channels = channels;
	}

	@Override
	public void closeSessions() {
		this.channels.forEachOnItsLoop((tracked) -> {
			if (ChannelOperations.get(tracked.channel()) instanceof WebsocketOutbound webSocket) {
				webSocket.sendClose(GOING_AWAY, "Server is shutting down")
					.onErrorResume((ex) -> Mono.empty())
					.subscribe();
			}
		});
	}

	@Override
	public String toString() {
		return "NettyWebSocketCloser";
	}

}
