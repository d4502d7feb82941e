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
 *
 * <p>
 * When the listen socket closes, Tomcat's {@code Handler.pause()} sends every HTTP/2
 * connection a graceful GOAWAY(2^31-1), but its final GOAWAY comes only when a new stream
 * arrives after {@code Http2Protocol}'s drain timeout, so an idle connection would stay
 * open until its keep-alive timeout (20 s) or the drain's. Tomcat shows nothing outside
 * the connection when its last stream ends, so this checks every {@link #INTERVAL_MILLIS}
 * ms, on Tomcat's utility executor, through the processor's public
 * {@code timeoutAsync(now)}: it closes the connection, on a worker, with GOAWAY(last
 * stream id, NO_ERROR), only if the connection's keep-alive deadline has been set, which
 * Tomcat does only while the connection has no active stream and is not reading frames.
 * Streams in flight therefore complete. With
 * {@code Http2Protocol.setKeepAliveTimeout(-1)} there is no deadline, and such
 * connections are cut at the drain timeout.
 *
 * <p>
 * It also calls the processor's {@code pause()} (a no-op once the connection is pausing):
 * Tomcat's own pause skips a connection whose frames are being read at that instant.
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
				processor.pause();
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
