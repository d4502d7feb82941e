package dev.terminator.netty;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.terminator.core.HttpTerminator;
import dev.terminator.core.TerminatorSettings;
import dev.terminator.testsupport.RawConnection;
import dev.terminator.testsupport.RawConnection.Response;
import io.netty.channel.Channel;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connections that reach the accept queue after the marker, as clients told to close
 * reconnect during the drain: taken from the queue like those before it, not reset with
 * the listen socket. The listen socket's event loop is held while the marker and then as
 * many connections as fill one read, or more, are queued, so that its next reads meet
 * them all.
 */
@Timeout(30)
class AcceptQueueDrainMarkerTests {

	// 20: a full read (the marker and 15), then one that finds the queue empty; 15: a
	// full read, then none, since nothing is left to wake the listen socket.
	@ParameterizedTest(name = "native transport {0}, {1} behind the marker")
	@CsvSource({ "true, 20", "false, 20", "true, 15", "false, 15" })
	void connectionsQueuedBehindTheMarkerAreServed(boolean preferNative, int behindTheMarker) throws Exception {
		LoopResources loops = LoopResources.create("marker-test", 1, 1, true);
		HttpServer server = HttpServer.create().host("127.0.0.1").port(0).runOn(loops, preferNative);
		DisposableServer disposable = NettyAdapter.install(new HttpTerminator(TerminatorSettings.DEFAULTS), server)
			.handle((request, response) -> response.sendString(Mono.just("served")))
			.bindNow();
		List<RawConnection> behind = new ArrayList<>();
		try (Socket marker = new Socket()) {
			Channel listen = disposable.channel();
			InetSocketAddress address = (InetSocketAddress) listen.localAddress();
			marker.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
			AcceptQueueDrain drain = new AcceptQueueDrain((InetSocketAddress) marker.getLocalSocketAddress());
			CountDownLatch held = new CountDownLatch(1);
			CountDownLatch release = new CountDownLatch(1);
			listen.eventLoop().submit(() -> {
				listen.pipeline().addFirst(AcceptQueueDrain.HANDLER_NAME, drain);
				held.countDown();
				release.await();
				return null;
			});
			// Connected only once the loop is held: it would otherwise accept them
			// before the drain is in the pipeline.
			assertThat(held.await(5, TimeUnit.SECONDS)).isTrue();
			marker.connect(address);
			for (int i = 0; i < behindTheMarker; i++) {
				RawConnection connection = RawConnection.open(address.getPort(), null);
				behind.add(connection);
				connection.send("GET", "/", null);
			}
			release.countDown();

			assertThat(drain.drained().get(5, TimeUnit.SECONDS)).as("connections taken from the queue")
				.isEqualTo(behindTheMarker);
			assertThat(listen.closeFuture().await(5, TimeUnit.SECONDS)).as("listen socket closed").isTrue();
			for (RawConnection connection : behind) {
				Response response = connection.readResponse();
				assertThat(response.status()).isEqualTo(200);
				assertThat(response.body()).isEqualTo("served");
			}
		}
		finally {
			for (RawConnection connection : behind) {
				connection.close();
			}
			disposable.disposeNow(Duration.ofSeconds(5));
			loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
		}
	}

}
