package dev.terminator.server;

import dev.terminator.core.HttpTerminator;

/**
 * A fixture's started container: what every {@link BareServer} holds, and a stop that
 * runs once; each fixture says how its container stops.
 */
abstract class StartedServer implements BareServer {

	private final String name;

	private final int port;

	private final HttpTerminator terminator;

	private final TestServlet servlet;

	private final boolean tls;

	private volatile boolean stopped;

	StartedServer(String name, int port, HttpTerminator terminator, TestServlet servlet, boolean tls) {
		this.name = name;
		this.port = port;
		this.terminator = terminator;
		this.servlet = servlet;
		this.tls = tls;
	}

	@Override
	public int port() {
		return this.port;
	}

	@Override
	public boolean isTls() {
		return this.tls;
	}

	@Override
	public HttpTerminator terminator() {
		return this.terminator;
	}

	@Override
	public TestServlet servlet() {
		return this.servlet;
	}

	@Override
	public synchronized void stop() throws Exception {
		if (!this.stopped) {
			stopContainer();
			this.stopped = true;
		}
	}

	/**
	 * Stop the container, as the application's stop does; called once.
	 * @throws Exception if the container fails to stop
	 */
	abstract void stopContainer() throws Exception;

	@Override
	public boolean isStopped() {
		return this.stopped;
	}

	@Override
	public void close() {
		try {
			stop();
		}
		catch (Exception ex) {
			throw new IllegalStateException(this.name + " did not stop", ex);
		}
	}

}
