package dev.terminator.servlet;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.function.BooleanSupplier;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.jspecify.annotations.Nullable;

/**
 * Adds {@code Connection: close} to HTTP/1.x responses committed while the server is
 * shutting down, so that clients stop reusing the connection and the server can close it
 * after the response. Never touches HTTP/2, where the header is forbidden.
 *
 * <p>
 * A request that began before the shutdown may commit its response after it began, so the
 * header is decided at the latest moment the filter can see: when the body stream or
 * writer is taken, on flush, on error or redirect, and after the chain.
 */
public final class ConnectionCloseFilter implements Filter {

	static final String CONNECTION = "Connection";

	static final String CLOSE = "close";

	private final BooleanSupplier closingConnections;

	/**
	 * Create a filter.
	 * @param closingConnections whether responses should ask clients to close the
	 * connection now
	 */
	public ConnectionCloseFilter(BooleanSupplier closingConnections) {
		this.closingConnections = closingConnections;
	}

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		if (request instanceof HttpServletRequest httpRequest && response instanceof HttpServletResponse httpResponse
				&& isHttp1(httpRequest)) {
			ClosingResponse closingResponse = new ClosingResponse(httpResponse);
			closingResponse.closeIfShuttingDown();
			chain.doFilter(request, closingResponse);
			closingResponse.closeIfShuttingDown();
		}
		else {
			chain.doFilter(request, response);
		}
	}

	private static boolean isHttp1(HttpServletRequest request) {
		String protocol = request.getProtocol();
		return "HTTP/1.1".equals(protocol) || "HTTP/1.0".equals(protocol);
	}

	private final class ClosingResponse extends HttpServletResponseWrapper {

		private final HttpServletResponse response;

		ClosingResponse(HttpServletResponse response) {
			super(response);
			this.response = response;
		}

		void closeIfShuttingDown() {
			if (ConnectionCloseFilter.this.closingConnections.getAsBoolean() && !this.response.isCommitted()) {
				this.response.setHeader(CONNECTION, CLOSE);
			}
		}

		@Override
		public ServletOutputStream getOutputStream() throws IOException {
			closeIfShuttingDown();
			return super.getOutputStream();
		}

		@Override
		public PrintWriter getWriter() throws IOException {
			closeIfShuttingDown();
			return super.getWriter();
		}

		@Override
		public void flushBuffer() throws IOException {
			closeIfShuttingDown();
			super.flushBuffer();
		}

		@Override
		public void sendError(int sc, @Nullable String msg) throws IOException {
			closeIfShuttingDown();
			super.sendError(sc, msg);
		}

		@Override
		public void sendError(int sc) throws IOException {
			closeIfShuttingDown();
			super.sendError(sc);
		}

		@Override
		public void sendRedirect(String location) throws IOException {
			closeIfShuttingDown();
			super.sendRedirect(location);
		}

	}

}
