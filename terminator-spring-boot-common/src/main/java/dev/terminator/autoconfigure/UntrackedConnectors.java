package dev.terminator.autoconfigure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.terminator.core.UntrackedConnector;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The connectors of the embedded server whose connections the drain cannot track, as the
 * container adapters report them when the server is created, each named in a warning.
 */
final class UntrackedConnectors {

	private static final Log logger = LogFactory.getLog(UntrackedConnectors.class);

	private final List<String> connectors = new CopyOnWriteArrayList<>();

	/**
	 * Report the connectors whose connections the drain cannot track, as an adapter's
	 * install returned them.
	 * @param untracked the connectors, each with why the adapter cannot track it
	 * @param cause what chose such a connector in a Spring Boot application and how to
	 * get a tracked one instead
	 */
	void addAll(List<UntrackedConnector> untracked, String cause) {
		for (UntrackedConnector connector : untracked) {
			add(connector.connector(), connector.reason() + cause);
		}
	}

	private void add(String connector, String cause) {
		this.connectors.add(connector);
		logger.warn("terminator cannot track the connections of " + connector + ": " + cause
				+ ". The drain only stops it accepting; its connections are left to Spring Boot's graceful shutdown"
				+ " (server.shutdown=graceful), which waits up to terminator.timeout for the requests in flight,"
				+ " without Connection: close and without closing idle keep-alive connections first");
	}

	/**
	 * Whether every connector's connections are tracked. If not, Spring Boot's graceful
	 * shutdown gets {@code terminator.timeout} for them rather than being capped.
	 * @return {@code true} if none was reported
	 */
	boolean isEmpty() {
		return this.connectors.isEmpty();
	}

	/**
	 * The connectors reported.
	 * @return what each is
	 */
	List<String> connectors() {
		return List.copyOf(this.connectors);
	}

}
