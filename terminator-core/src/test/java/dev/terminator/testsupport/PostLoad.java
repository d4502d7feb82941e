package dev.terminator.testsupport;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.EndpointDetails;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;

/**
 * Pooled keep-alive clients posting in a tight loop, with automatic retries off. A
 * request that fails on a connection that already carried a response is lost: nothing
 * tells the client whether the server saw it. A request that fails on a new connection is
 * not lost: the server never accepted it (refused, or reset in the listen backlog when
 * the listen socket closed), and a real client goes elsewhere.
 */
public final class PostLoad implements AutoCloseable {

	private final ServerAddress server;

	private final CloseableHttpClient client;

	private final ExecutorService workers;

	private final List<Future<?>> running = new ArrayList<>();

	private final AtomicBoolean stopping = new AtomicBoolean();

	private final AtomicInteger completed = new AtomicInteger();

	private final AtomicInteger lost = new AtomicInteger();

	private final List<String> failures = new ArrayList<>();

	public PostLoad(ServerAddress server, int clients) {
		this.server = server;
		PoolingHttpClientConnectionManagerBuilder pool = PoolingHttpClientConnectionManagerBuilder.create()
			.setMaxConnTotal(clients)
			.setMaxConnPerRoute(clients);
		if (server.isTls()) {
			pool.setTlsSocketStrategy(
					ClientTlsStrategyBuilder.create().setSslContext(Tls.clientContext()).buildClassic());
		}
		PoolingHttpClientConnectionManager connections = pool.build();
		this.client = HttpClients.custom().setConnectionManager(connections).disableAutomaticRetries().build();
		this.workers = Executors.newFixedThreadPool(clients);
		for (int i = 0; i < clients; i++) {
			int worker = i;
			this.running.add(this.workers.submit(() -> post(worker)));
		}
	}

	private void post(int worker) {
		for (int n = 0; !this.stopping.get(); n++) {
			String body = "worker " + worker + " request " + n;
			HttpPost post = new HttpPost(this.server.uri("/echo"));
			post.setEntity(new StringEntity(body, ContentType.TEXT_PLAIN));
			HttpClientContext context = HttpClientContext.create();
			try {
				String answer = this.client.execute(post, context, (response) -> response.getCode() + " "
						+ EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8));
				if (answer.equals("200 " + body)) {
					this.completed.incrementAndGet();
				}
				else {
					fail(body + " answered " + answer);
				}
			}
			catch (ConnectException ex) {
				// The listen socket is closed: the request was never written, a real
				// client goes elsewhere.
				return;
			}
			catch (IOException ex) {
				EndpointDetails connection = context.getEndpointDetails();
				if (connection != null && connection.getResponseCount() > 0) {
					fail(body + " failed on a reused connection: " + ex);
				}
				else {
					return;
				}
			}
		}
	}

	private void fail(String failure) {
		this.lost.incrementAndGet();
		synchronized (this.failures) {
			this.failures.add(failure);
		}
	}

	public int completed() {
		return this.completed.get();
	}

	public int lost() {
		return this.lost.get();
	}

	public List<String> failures() {
		synchronized (this.failures) {
			return List.copyOf(this.failures);
		}
	}

	/**
	 * Stop posting and wait for every worker to finish its last request.
	 */
	@Override
	public void close() throws Exception {
		this.stopping.set(true);
		for (Future<?> worker : this.running) {
			worker.get(30, TimeUnit.SECONDS);
		}
		this.workers.shutdown();
		this.client.close();
	}

}
