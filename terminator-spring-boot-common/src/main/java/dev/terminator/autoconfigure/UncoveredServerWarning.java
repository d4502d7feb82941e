package dev.terminator.autoconfigure;

import dev.terminator.core.HttpTerminator;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextRefreshedEvent;

/**
 * Says so at start-up, in one warning, when the application's embedded web server is one
 * that no terminator adapter hooked into: a server the starter does not cover (a web
 * server factory of the application's own, a stack or protocol without an adapter), which
 * would otherwise start, drain nothing and log nothing.
 */
class UncoveredServerWarning implements ApplicationListener<ContextRefreshedEvent>, ApplicationContextAware {

	private static final Log logger = LogFactory.getLog(UncoveredServerWarning.class);

	/**
	 * The name {@link HttpTerminator#serverName()} gives while no adapter is installed.
	 */
	static final String NO_ADAPTER = "web server";

	private final HttpTerminator terminator;

	private @Nullable ApplicationContext context;

	private boolean checked;

	UncoveredServerWarning(HttpTerminator terminator) {
		this.terminator = terminator;
	}

	@Override
	public void setApplicationContext(ApplicationContext context) {
		this.context = context;
	}

	@Override
	public void onApplicationEvent(ContextRefreshedEvent event) {
		// A management server's child context publishes its refresh to this context too:
		// only the application's own server is the drain's.
		if (event.getApplicationContext() != this.context || this.checked) {
			return;
		}
		this.checked = true;
		String uncovered = uncoveredServer(event.getApplicationContext());
		if (uncovered != null) {
			logger.warn(uncovered);
		}
	}

	/**
	 * What to say about the application's web server, if the drain does not cover it.
	 * @param context the application's context
	 * @return the warning, or {@code null} when an adapter is installed or the
	 * application runs no embedded server
	 */
	@Nullable String uncoveredServer(ApplicationContext context) {
		Object webServer = WebServers.of(context);
		if (webServer == null || !NO_ADAPTER.equals(this.terminator.serverName())) {
			return null;
		}
		return "terminator cannot drain the application's web server, a " + webServer.getClass().getName()
				+ ": no terminator adapter covers it (terminator covers Spring Boot's own Tomcat, Jetty, Undertow and"
				+ " Reactor Netty factories). Its connections are left to Spring Boot's graceful shutdown"
				+ " (server.shutdown=graceful), without Connection: close and without closing idle keep-alive"
				+ " connections first";
	}

}
