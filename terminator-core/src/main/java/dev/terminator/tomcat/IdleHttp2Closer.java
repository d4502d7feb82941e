package dev.terminator.tomcat;

import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.terminator.core.DrainProgress;
import dev.terminator.core.DrainResult;
import dev.terminator.core.TerminationListener;
import org.apache.coyote.Processor;
import org.apache.coyote.UpgradeProtocol;
import org.apache.coyote.UpgradeToken;
import org.apache.coyote.http2.Http2Protocol;
import org.apache.tomcat.util.net.NioChannel;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.jspecify.annotations.Nullable;

/**
 * While the drain runs, closes each HTTP/2 connection of the connector once it has no
 * stream left, with a final GOAWAY that names the last stream it processed.
 */
final class IdleHttp2Closer implements TerminationListener {

	/**
	 * How often connections are checked: the longest an HTTP/2 connection stays open
	 * after its last stream.
	 */
	static final long INTERVAL_MILLIS = 100;

	private final TrackingHttp11NioProtocol protocol;

	private final TrackingNioEndpoint endpoint;

	private volatile @Nullable ScheduledFuture<?> task;

	IdleHttp2Closer(TrackingHttp11NioProtocol protocol, TrackingNioEndpoint endpoint) {
		this.protocol = protocol;
		this.endpoint = endpoint;
	}

	@Override
	public void drainStarted(DrainProgress progress) {
		Set<String> http2Names = http2UpgradeNames();
		if (http2Names.isEmpty()) {
			return;
		}
		// Polled: Tomcat's own final GOAWAY comes only when a new stream arrives after
		// Http2Protocol's drain timeout, and nothing outside the connection shows its
		// last stream ending, so an idle connection would stay open until its keep-alive
		// timeout (20 s).
		try {
			this.task = this.protocol.getUtilityExecutor()
				.scheduleWithFixedDelay(() -> closeIdle(http2Names), 0, INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			// Tomcat is stopping: it closes its connections itself.
		}
	}

	@Override
	public void drainFinished(DrainResult result) {
		ScheduledFuture<?> current = this.task;
		if (current != null) {
			current.cancel(false);
		}
	}

	private Set<String> http2UpgradeNames() {
		for (UpgradeProtocol upgradeProtocol : this.protocol.findUpgradeProtocols()) {
			if (upgradeProtocol instanceof Http2Protocol http2) {
				// The names Tomcat puts in the UpgradeToken of an HTTP/2 connection: "h2"
				// (ALPN) and "h2c".
				return Set.of(http2.getAlpnName(), http2.getHttpUpgradeName(false));
			}
		}
		return Set.of();
	}

	private void closeIdle(Set<String> http2Names) {
		for (SocketWrapperBase<NioChannel> wrapper : this.endpoint.getConnections()) {
			// Null while a worker is processing the socket: the next round sees it again.
			if (wrapper.getCurrentProcessor() instanceof Processor processor && isHttp2(processor, http2Names)) {
				// Tomcat's own pause skips a connection whose frames are being read at
				// that instant; a no-op once the connection is pausing.
				processor.pause();
				// Closes it, on a worker, with GOAWAY(last stream id, NO_ERROR) only if
				// its keep-alive deadline is set, which Tomcat does only while no stream
				// is active and no frame is being read: streams in flight complete. With
				// Http2Protocol.setKeepAliveTimeout(-1) there is no deadline, and the
				// drain cuts the connection at its timeout.
				processor.timeoutAsync(Long.MAX_VALUE);
			}
		}
	}

	private static boolean isHttp2(Processor processor, Set<String> http2Names) {
		if (!processor.isUpgrade()) {
			return false;
		}
		UpgradeToken token = processor.getUpgradeToken();
		String name = (token != null) ? token.getProtocol() : null;
		return name != null && http2Names.contains(name);
	}

}
