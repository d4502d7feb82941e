package dev.terminator.undertow;

import io.undertow.server.HttpServerExchange;

import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.HttpHandlerDecoratorFactory;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;

/**
 * Tells idle Undertow connections from active ones under Spring WebFlux (Spring Framework
 * 6, whose {@code UndertowHttpHandlerAdapter} is the server's native handler): what
 * {@link UndertowAdapter#handlerWrapper()} does for a servlet deployment, from Spring's
 * side, as a server running WebFlux offers no place in its own handler chain.
 *
 * <p>
 * Spring's adapter dispatches each exchange to a worker thread before it calls the
 * decorated handler, so a request is tracked only there, once Undertow's IO thread has
 * parsed it: the idle close, which runs on the IO thread, holds off while the connection
 * has a parsed request not yet tracked (Undertow suspends the connection's reads from the
 * parse until it waits for the next request).
 */
public final class ConnectionTrackingHttpHandlerDecorator implements HttpHandlerDecoratorFactory {

	private final UndertowAdapter adapter;

	/**
	 * Create a decorator that reports to the given adapter.
	 * @param adapter the server's adapter, installed on the terminator before the first
	 * request
	 */
	public ConnectionTrackingHttpHandlerDecorator(UndertowAdapter adapter) {
		this.adapter = adapter;
	}

	@Override
	public HttpHandler apply(HttpHandler handler) {
		return (request, response) -> {
			if (ServerHttpRequestDecorator.getNativeRequest(request) instanceof HttpServerExchange exchange) {
				ExchangeTracking.track(exchange, this.adapter.binding(), exchange.isInIoThread());
			}
			return handler.handle(request, response);
		};
	}

}
