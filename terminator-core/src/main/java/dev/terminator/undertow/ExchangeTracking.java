package dev.terminator.undertow;

import dev.terminator.core.ServerBinding;
import dev.terminator.core.TrackedConnection;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpServerConnection;
import io.undertow.server.protocol.http2.Http2ServerConnection;
import io.undertow.util.AttachmentKey;

/**
 * Tells idle connections from active ones, from the exchanges that enter the server: a
 * connection is active from the moment a request enters until its exchange completes,
 * idle afterwards if Undertow keeps it open, and done once Undertow has sent its last
 * response. What both the servlet deployment's root handler
 * ({@link ConnectionTrackingHandler}) and the WebFlux decorator
 * ({@link ConnectionTrackingHttpHandlerDecorator}) do with each exchange.
 */
final class ExchangeTracking {

	private static final AttachmentKey<TrackedConnection> TRACKED = AttachmentKey.create(TrackedConnection.class);

	private ExchangeTracking() {
	}

	/**
	 * Track the exchange's connection: register it on its first request, active until the
	 * exchange completes.
	 * @param exchange an exchange that has just entered the server
	 * @param binding where the connection is registered
	 * @param onIoThread whether this runs on the IO thread that parsed the request,
	 * before the exchange is dispatched; otherwise a request already parsed but not yet
	 * tracked must hold off the idle close ({@link HttpServerConnectionControl})
	 */
	static void track(HttpServerExchange exchange, ServerBinding binding, boolean onIoThread) {
		if (exchange.getConnection() instanceof HttpServerConnection connection) {
			TrackedConnection tracked = tracked(connection, binding, onIoThread);
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
			Http2ChannelControl.track(exchange, stream, binding);
		}
	}

	// Only a connection's first request registers it, and Undertow reads no other request
	// of the connection before that request's exchange completes (pipelined bytes wait in
	// the connection's extra bytes): the attachment and the close listener are in place
	// before any later request of this connection looks for them.
	private static TrackedConnection tracked(HttpServerConnection connection, ServerBinding binding,
			boolean onIoThread) {
		TrackedConnection tracked = connection.getAttachment(TRACKED);
		if (tracked == null) {
			HttpServerConnectionControl control = new HttpServerConnectionControl(connection, !onIoThread);
			tracked = binding.register(control);
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
