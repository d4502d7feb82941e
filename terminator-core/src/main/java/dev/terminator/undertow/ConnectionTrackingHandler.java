package dev.terminator.undertow;

import dev.terminator.core.ServerBinding;
import dev.terminator.core.TrackedConnection;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpServerConnection;
import io.undertow.server.protocol.http2.Http2ServerConnection;
import io.undertow.util.AttachmentKey;

/**
 * The root handler that tells idle connections from active ones: a connection is active
 * from the moment a request enters until its exchange completes, idle afterwards if
 * Undertow keeps it open, and done once Undertow has sent its last response.
 */
final class ConnectionTrackingHandler implements HttpHandler {

	private static final AttachmentKey<TrackedConnection> TRACKED = AttachmentKey.create(TrackedConnection.class);

	private final HttpHandler next;

	private final ServerBinding binding;

	ConnectionTrackingHandler(HttpHandler next, ServerBinding binding) {
		this.next = next;
		this.binding = binding;
	}

	@Override
	public void handleRequest(HttpServerExchange exchange) throws Exception {
		if (exchange.getConnection() instanceof HttpServerConnection connection) {
			TrackedConnection tracked = tracked(connection);
			tracked.becameActive();
			exchange.addExchangeCompleteListener((completed, nextListener) -> {
				boolean persistent = completed.isPersistent();
				// Bytes already read past this request are the next, pipelined one: the
				// connection stays active.
				if (persistent && !completed.isUpgrade() && connection.getExtraBytes() == null) {
					// Before Undertow reads the next request, so that request finds the
					// connection idle.
					tracked.becameIdle();
				}
				nextListener.proceed();
				if (!persistent) {
					// The last response is flushed and Undertow has begun closing: it
					// shuts its output, then waits up to io.undertow.max-drain-time (10
					// s) for the client's FIN before closing the socket. No request will
					// be read any more, so the drain need not wait for that lingering
					// close.
					tracked.closed();
				}
			});
		}
		else if (exchange.getConnection() instanceof Http2ServerConnection stream) {
			// Every HTTP/2 stream has a connection object of its own: the shared channel
			// is tracked once, and its streams counted.
			Http2ChannelControl.track(exchange, stream, this.binding);
		}
		this.next.handleRequest(exchange);
	}

	// Only a connection's first request registers it, and Undertow parses a first request
	// on the connection's IO thread: the attachment and the close listener are in place
	// before any other thread handles this connection.
	private TrackedConnection tracked(HttpServerConnection connection) {
		TrackedConnection tracked = connection.getAttachment(TRACKED);
		if (tracked == null) {
			HttpServerConnectionControl control = new HttpServerConnectionControl(connection);
			tracked = this.binding.register(control);
			control.tracks(tracked);
			connection.putAttachment(TRACKED, tracked);
			TrackedConnection closing = tracked;
			connection.addCloseListener((closed) -> closing.closed());
			if (!connection.isOpen()) {
				tracked.closed();
			}
		}
		return tracked;
	}

}
