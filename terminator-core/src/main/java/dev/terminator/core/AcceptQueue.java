package dev.terminator.core;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * For server adapters: the last two steps of {@link ListenSocket#stopAccepting()} on a
 * JDK {@link ServerSocketChannel}: take every connection from the accept queue, then
 * close.
 */
public final class AcceptQueue {

	private AcceptQueue() {
	}

	/**
	 * Take every connection waiting in the channel's accept queue and hand it to the
	 * server, then close the listen socket at once.
	 *
	 * <p>
	 * No thread may be blocked in {@code accept()} on the channel: switching it to
	 * non-blocking mode waits for that thread to leave {@code accept()}. The channel must
	 * not be registered with a selector either, or its close is deferred until the
	 * selector lets go of it, a window in which the kernel still queues connections that
	 * no one accepts.
	 * @param channel the listen socket, its acceptors stopped
	 * @param server hands a connection to the server
	 * @param close closes the listen socket
	 * @return the connections taken from the queue
	 * @throws IOException if the channel could not be switched to non-blocking mode, or
	 * could not be closed; the connections taken by then are the server's
	 */
	public static int drainThenClose(ServerSocketChannel channel, Server server, Closer close) throws IOException {
		int served = 0;
		try {
			channel.configureBlocking(false);
			SocketChannel connection;
			while ((connection = channel.accept()) != null) {
				server.accept(connection);
				served++;
			}
		}
		finally {
			// Straight after the last empty accept(): every connection whose handshake
			// completes between the two is reset by the kernel.
			close.close();
		}
		return served;
	}

	/**
	 * The address a connection to a listen socket of this process goes to, to get a
	 * thread blocked in its {@code accept()} out of it: the address it is bound to, or
	 * loopback of the same family when that is the wildcard address.
	 * @param listening the listen socket's local address
	 * @return the address to connect to
	 * @throws IOException if the loopback address cannot be resolved
	 */
	public static InetSocketAddress selfConnectAddress(InetSocketAddress listening) throws IOException {
		InetAddress address = listening.getAddress();
		if (address.isAnyLocalAddress()) {
			address = InetAddress.getByName((address instanceof Inet6Address) ? "::1" : "127.0.0.1");
		}
		return new InetSocketAddress(address, listening.getPort());
	}

	/**
	 * Hands an accepted connection to the server.
	 */
	@FunctionalInterface
	public interface Server {

		/**
		 * Hand the connection to the server, as its acceptor would have; close it if the
		 * server cannot take it.
		 * @param connection the connection, in blocking mode, as {@code accept()} returns
		 * it
		 */
		void accept(SocketChannel connection);

	}

	/**
	 * Closes a listen socket.
	 */
	@FunctionalInterface
	public interface Closer {

		/**
		 * Close the listen socket.
		 * @throws IOException if it could not be closed
		 */
		void close() throws IOException;

	}

}
