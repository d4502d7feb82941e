package dev.terminator.netty;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.netty.channel.Channel;
import reactor.netty.DisposableServer;

import dev.terminator.core.AcceptQueue;
import dev.terminator.core.ListenSocket;
import dev.terminator.core.QueuedConnections;

/**
 * The listen sockets of a Reactor Netty server, as {@code doOnBound} hands them over:
 * drained of their accept queue ({@link AcceptQueueDrain}), then closed with
 * {@link DisposableServer#dispose()}, which closes the listen socket alone; accepted
 * connections keep being served.
 */
final class NettyListenSocket implements ListenSocket {

	private static final int MARKER_TIMEOUT_MILLIS = 1000;

	private final List<DisposableServer> servers = new CopyOnWriteArrayList<>();

	void bound(DisposableServer server) {
		this.servers.add(server);
	}

	@Override
	public QueuedConnections stopAccepting() throws Exception {
		QueuedConnections queued = QueuedConnections.served(0);
		for (DisposableServer server : this.servers) {
			queued = queued.plus(stopAccepting(server));
		}
		return queued;
	}

	private static QueuedConnections stopAccepting(DisposableServer server) throws InterruptedException {
		Channel channel = server.channel();
		try {
			if (!(channel.localAddress() instanceof InetSocketAddress local) || !channel.isActive()) {
				// A Unix domain socket: no connection of this process can mark its queue.
				return QueuedConnections.notDrained();
			}
			return drainThenClose(channel, AcceptQueue.selfConnectAddress(local));
		}
		catch (IOException | ExecutionException | TimeoutException ex) {
			return QueuedConnections.notDrained();
		}
		finally {
			server.dispose();
			channel.closeFuture().await(MARKER_TIMEOUT_MILLIS);
		}
	}

	private static QueuedConnections drainThenClose(Channel channel, InetSocketAddress address)
			throws IOException, InterruptedException, ExecutionException, TimeoutException {
		try (Socket marker = new Socket()) {
			// Reset rather than closed: nothing lingers in TIME_WAIT on the port.
			marker.setSoLinger(true, 0);
			// Bound first: the server may accept it before connect() returns.
			marker.bind(new InetSocketAddress(address.getAddress(), 0));
			AcceptQueueDrain drain = new AcceptQueueDrain((InetSocketAddress) marker.getLocalSocketAddress());
			channel.eventLoop().submit(() -> {
				channel.pipeline().addFirst(AcceptQueueDrain.HANDLER_NAME, drain);
				// Reading again if a connection limit had stopped it.
				channel.config().setAutoRead(true);
			}).get(MARKER_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
			marker.connect(address, MARKER_TIMEOUT_MILLIS);
			return QueuedConnections.served(drain.drained().get(MARKER_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
		}
	}

}
