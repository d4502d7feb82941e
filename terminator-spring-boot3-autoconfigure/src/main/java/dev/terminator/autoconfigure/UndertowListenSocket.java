package dev.terminator.autoconfigure;

import dev.terminator.core.ListenSocket;
import dev.terminator.core.QueuedConnections;
import dev.terminator.undertow.UndertowAdapter;
import io.undertow.Undertow;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.boot.web.embedded.undertow.UndertowWebServer;
import org.springframework.context.ApplicationListener;

/**
 * The listen socket of the application's Undertow server: learns the server when Boot has
 * started it, and stops its accepting when the drain begins, with
 * {@code Undertow.stop()}, if it runs on terminator's worker, which keeps serving the
 * connections already accepted. On any other worker it keeps accepting
 * ({@link UndertowAdapter#keepAccepting()}).
 */
final class UndertowListenSocket implements ListenSocket, ApplicationListener<WebServerInitializedEvent> {

	private final UndertowWorkerOwner worker;

	private volatile @Nullable Undertow undertow;

	UndertowListenSocket(UndertowWorkerOwner worker) {
		this.worker = worker;
	}

	@Override
	public void onApplicationEvent(WebServerInitializedEvent event) {
		// Only the application's server: a management server on a port of its own
		// publishes its event in a child context, which reaches this listener too.
		if (event.getApplicationContext().getServerNamespace() == null
				&& event.getWebServer() instanceof UndertowWebServer webServer) {
			this.undertow = webServer.getUndertow();
		}
	}

	@Override
	public QueuedConnections stopAccepting() {
		Undertow server = this.undertow;
		if (server != null && this.worker.runs(server)) {
			// XNIO accepts on a thread of its own into queues of its own: neither its
			// accepting nor the kernel's queue can be reached through public API.
			server.stop();
			return QueuedConnections.notDrained();
		}
		return UndertowAdapter.keepAccepting();
	}

}
