package dev.terminator.testsupport;

import org.springframework.boot.web.server.WebServer;

/**
 * A web server of the application's own, as a custom web server factory gives: one that
 * no terminator adapter covers. It serves nothing.
 */
public final class InertWebServer implements WebServer {

	@Override
	public void start() {
	}

	@Override
	public void stop() {
	}

	@Override
	public int getPort() {
		return -1;
	}

}
