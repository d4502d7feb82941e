package dev.terminator.reactive;

import java.util.function.BooleanSupplier;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.HttpHandlerDecoratorFactory;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.util.ClassUtils;

/**
 * Adds {@code Connection: close} to HTTP/1.x responses committed while the server is
 * shutting down, the WebFlux counterpart of {@code ConnectionCloseFilter}, for Reactor
 * Netty, Tomcat, Jetty and Undertow alike. Never touches HTTP/2, where the header is
 * forbidden.
 *
 * <p>
 * Decorating the {@link HttpHandler} rather than adding a {@code WebFilter} puts it
 * outside everything Spring does with the exchange, responses of exception handlers
 * included. The header is decided in {@code beforeCommit}: a request that began before
 * the shutdown and commits after it gets the header too.
 */
public final class ConnectionCloseHttpHandlerDecorator implements HttpHandlerDecoratorFactory {

	private final BooleanSupplier closingConnections;

	/**
	 * Create a decorator.
	 * @param closingConnections whether responses should ask clients to close the
	 * connection now
	 */
	public ConnectionCloseHttpHandlerDecorator(BooleanSupplier closingConnections) {
		this.closingConnections = closingConnections;
	}

	@Override
	public HttpHandler apply(HttpHandler handler) {
		return (request, response) -> {
			if (NativeProtocol.isHttp1(request)) {
				response.beforeCommit(() -> {
					if (this.closingConnections.getAsBoolean()) {
						response.getHeaders().set(HttpHeaders.CONNECTION, "close");
					}
					return Mono.empty();
				});
			}
			return handler.handle(request, response);
		};
	}

	/**
	 * The HTTP version of a request, read from the server's own request: Spring's
	 * {@link ServerHttpRequest} does not carry it. Each server's classes are touched only
	 * when present.
	 */
	static final class NativeProtocol {

		private static final ClassLoader CLASS_LOADER = NativeProtocol.class.getClassLoader();

		private static final boolean REACTOR_NETTY = ClassUtils.isPresent("reactor.netty.http.server.HttpServerRequest",
				CLASS_LOADER);

		private static final boolean SERVLET = ClassUtils.isPresent("jakarta.servlet.http.HttpServletRequest",
				CLASS_LOADER);

		private static final boolean UNDERTOW = ClassUtils.isPresent("io.undertow.server.HttpServerExchange",
				CLASS_LOADER);

		private NativeProtocol() {
		}

		static boolean isHttp1(ServerHttpRequest request) {
			Object nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request);
			String protocol = protocol(nativeRequest);
			return "HTTP/1.1".equals(protocol) || "HTTP/1.0".equals(protocol);
		}

		private static String protocol(Object nativeRequest) {
			if (REACTOR_NETTY && ReactorNetty.isRequest(nativeRequest)) {
				return ReactorNetty.protocol(nativeRequest);
			}
			if (SERVLET && Servlet.isRequest(nativeRequest)) {
				return Servlet.protocol(nativeRequest);
			}
			if (UNDERTOW && Undertow.isRequest(nativeRequest)) {
				return Undertow.protocol(nativeRequest);
			}
			return "";
		}

		private static final class ReactorNetty {

			static boolean isRequest(Object request) {
				return request instanceof reactor.netty.http.server.HttpServerRequest;
			}

			static String protocol(Object request) {
				return ((reactor.netty.http.server.HttpServerRequest) request).version().text();
			}

		}

		private static final class Servlet {

			static boolean isRequest(Object request) {
				return request instanceof jakarta.servlet.http.HttpServletRequest;
			}

			static String protocol(Object request) {
				return ((jakarta.servlet.http.HttpServletRequest) request).getProtocol();
			}

		}

		private static final class Undertow {

			static boolean isRequest(Object request) {
				return request instanceof io.undertow.server.HttpServerExchange;
			}

			static String protocol(Object request) {
				return ((io.undertow.server.HttpServerExchange) request).getProtocol().toString();
			}

		}

	}

}
