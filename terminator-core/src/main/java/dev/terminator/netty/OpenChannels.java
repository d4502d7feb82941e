package dev.terminator.netty;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The sockets of a server open now, for what the drain does to each when it begins.
 */
final class OpenChannels {

	private final Set<TrackedChannel> channels = ConcurrentHashMap.newKeySet();

	void add(TrackedChannel channel) {
		this.channels.add(channel);
	}

	void remove(TrackedChannel channel) {
		this.channels.remove(channel);
	}

	/**
	 * Run an action for each open socket, on the socket's event loop, where its requests
	 * are decoded. Returns at once.
	 * @param action the action
	 */
	void forEachOnItsLoop(Consumer<TrackedChannel> action) {
		for (TrackedChannel channel : this.channels) {
			channel.onItsLoop(() -> action.accept(channel));
		}
	}

}
