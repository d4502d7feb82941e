package dev.terminator.server;

import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;

/**
 * A Jakarta WebSocket endpoint that answers each text message with the same text.
 */
@ServerEndpoint(EchoEndpoint.PATH)
public class EchoEndpoint {

	static final String PATH = "/ws/echo";

	@OnMessage
	public String echo(String message) {
		return message;
	}

}
