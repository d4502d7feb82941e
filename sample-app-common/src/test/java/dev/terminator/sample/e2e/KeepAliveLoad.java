package dev.terminator.sample.e2e;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;

import dev.terminator.testsupport.RawConnection;
import dev.terminator.testsupport.RawConnection.Response;

/**
 * Keep-alive {@code POST /echo} load from a few client threads, each on one connection
 * that it reuses until the server asks it to close, that accounts for every request as
 * {@code benchmarks/loadgen.py} does: a request is lost when its bytes were written and
 * no complete, matching answer came back, on a reused connection (one that had carried a
 * response: the drain's business) or on a new one (the first request of a connection the
 * kernel completed in the closing listen socket's accept queue: the residual window no
 * drain from Java closes, see {@code docs/how-it-works.md}). A refused connection is no
 * loss (nothing was written, a real client goes to another instance): it ends that
 * client, the server being gone.
 */
final class KeepAliveLoad implements AutoCloseable {

	/**
	 * A pause between two requests of a client: the load must not starve the test's own
	 * checks on a small machine, where each request of the lame-duck delay is a new TLS
	 * handshake (every response asks to close).
	 */
	private static final Duration THINK_TIME = Duration.ofMillis(20);

	private final int port;

	private final SSLContext tls;

	private final List<Thread> clients = new ArrayList<>();

	private final AtomicInteger answered = new AtomicInteger();

	private final AtomicInteger refused = new AtomicInteger();

	private final List<String> lostOnReused = new CopyOnWriteArrayList<>();

	private final List<String> lostOnNew = new CopyOnWriteArrayList<>();

	private volatile boolean stopped;

	private KeepAliveLoad(int port, SSLContext tls) {
		this.port = port;
		this.tls = tls;
	}

	/**
	 * Start the load.
	 * @param port the server's port
	 * @param tls the client TLS context, or {@code null} for plain HTTP
	 * @param clients how many client threads
	 * @return the running load
	 */
	static KeepAliveLoad start(int port, SSLContext tls, int clients) {
		KeepAliveLoad load = new KeepAliveLoad(port, tls);
		for (int i = 0; i < clients; i++) {
			int client = i;
			Thread thread = new Thread(() -> load.run(client), "keep-alive-load-" + i);
			thread.setDaemon(true);
			load.clients.add(thread);
			thread.start();
		}
		return load;
	}

	private void run(int client) {
		RawConnection connection = null;
		boolean reused = false;
		for (int request = 0; !this.stopped; request++) {
			if (connection == null) {
				reused = false;
				try {
					connection = RawConnection.open(this.port, this.tls);
				}
				catch (ConnectException ex) {
					this.refused.incrementAndGet();
					return;
				}
				catch (IOException ex) {
					// Reset or cut during the connect or TLS handshake: nothing sent.
					this.refused.incrementAndGet();
					return;
				}
			}
			String body = "client " + client + " request " + request;
			try {
				connection.send("POST", "/echo", body);
				Response response = connection.readResponse();
				if (response.status() != 200 || !body.equals(response.body())) {
					lost(reused).add(body + ": " + response.status() + " " + response.body());
				}
				else {
					this.answered.incrementAndGet();
				}
				reused = true;
				if (response.asksToClose()) {
					connection = close(connection);
				}
			}
			catch (IOException ex) {
				lost(reused).add(body + ": " + ex);
				connection = close(connection);
			}
			pause();
		}
		close(connection);
	}

	private static RawConnection close(RawConnection connection) {
		try {
			if (connection != null) {
				connection.close();
			}
		}
		catch (IOException ex) {
			// Closed already.
		}
		return null;
	}

	private static void pause() {
		try {
			TimeUnit.NANOSECONDS.sleep(THINK_TIME.toNanos());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	int answered() {
		return this.answered.get();
	}

	private List<String> lost(boolean reused) {
		return reused ? this.lostOnReused : this.lostOnNew;
	}

	/**
	 * The requests lost on a connection that had carried a response before.
	 * @return a description of each
	 */
	List<String> lostOnReusedConnections() {
		return List.copyOf(this.lostOnReused);
	}

	/**
	 * Wait until every client has stopped after a refused connection, as they do once the
	 * server's listen socket is closed.
	 * @param timeout the longest to wait for each client
	 * @return whether all have stopped
	 * @throws InterruptedException if interrupted
	 */
	boolean awaitRefused(Duration timeout) throws InterruptedException {
		for (Thread client : this.clients) {
			client.join(timeout.toMillis());
		}
		return this.clients.stream().noneMatch(Thread::isAlive);
	}

	@Override
	public void close() throws InterruptedException {
		this.stopped = true;
		for (Thread client : this.clients) {
			client.join(TimeUnit.SECONDS.toMillis(10));
		}
	}

	@Override
	public String toString() {
		return this.answered + " answered, " + this.refused + " refused, " + this.lostOnReused.size()
				+ " lost on a reused connection " + this.lostOnReused + ", " + this.lostOnNew.size()
				+ " lost on a new connection " + this.lostOnNew;
	}

}
