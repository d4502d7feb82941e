package dev.terminator.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.boot.web.server.WebServer;
import org.springframework.context.ApplicationContext;

/**
 * The embedded web server of an application context, through this Boot line's
 * {@link WebServerApplicationContext}, whose package moved between the lines.
 */
final class WebServers {

	private WebServers() {
	}

	/**
	 * The context's embedded web server.
	 * @param context the application's context
	 * @return its server, or {@code null} if it runs none (a WAR, a mock environment)
	 */
	static @Nullable WebServer of(ApplicationContext context) {
		return (context instanceof WebServerApplicationContext webServerContext) ? webServerContext.getWebServer()
				: null;
	}

}
