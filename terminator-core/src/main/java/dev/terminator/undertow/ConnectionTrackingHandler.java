package dev.terminator.undertow;

import dev.terminator.core.ServerBinding;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * The root handler of a servlet deployment that tells idle connections from active ones
 * ({@link ExchangeTracking}), on the IO thread, before the servlet container dispatches
 * the request.
 */
final class ConnectionTrackingHandler implements HttpHandler {

	private final HttpHandler next;

	private final ServerBinding binding;

	ConnectionTrackingHandler(HttpHandler next, ServerBinding binding) {
		this.next = next;
		this.binding = binding;
	}

	@Override
	public void handleRequest(HttpServerExchange exchange) throws Exception {
		ExchangeTracking.track(exchange, this.binding, true);
		this.next.handleRequest(exchange);
	}

}
