package dev.terminator.server;

import java.util.EnumSet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServlet;
import org.eclipse.jetty.ee11.servlet.FilterHolder;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.ee11.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Handler;

/**
 * The servlet context of the bare Jetty, in this generation's servlet environment: ee11
 * (Jetty 12.1, Servlet 6.1).
 *
 * @param handler the context's handler, the server's handler
 * @param servletContext its servlet context
 */
record JettyServletContext(Handler handler, ServletContext servletContext) {

	static JettyServletContext create(HttpServlet servlet, Filter filter, Class<?> webSocketEndpoint) {
		ServletContextHandler context = new ServletContextHandler("/");
		context.addServlet(new ServletHolder(servlet), "/");
		context.addFilter(new FilterHolder(filter), "/*",
				EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR));
		JakartaWebSocketServletContainerInitializer.configure(context,
				(servletContext, container) -> container.addEndpoint(webSocketEndpoint));
		return new JettyServletContext(context, context.getServletContext());
	}

}
