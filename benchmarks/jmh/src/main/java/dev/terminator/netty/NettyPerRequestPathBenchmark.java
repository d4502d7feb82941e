package dev.terminator.netty;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import dev.terminator.core.HttpTerminator;
import dev.terminator.core.ServerAdapter;
import dev.terminator.core.ServerBinding;
import dev.terminator.core.TerminatorSettings;
import dev.terminator.core.UntrackedConnector;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import reactor.netty.Connection;
import reactor.netty.ConnectionObserver;
import reactor.netty.channel.ChannelOperations;

/**
 * What the Reactor Netty adapter adds to every HTTP/1.1 request while the server runs:
 * the byte counter's read (one read per request here) and the request observer's two
 * transitions ({@code CONFIGURED}: active, {@code DISCONNECTING}: idle), on an
 * {@link EmbeddedChannel} whose pipeline holds the adapter's handler. In this package to
 * reach the adapter's package-private classes. The {@code Connection: close} decorator is
 * not included: Spring's request and response cannot be built without a server.
 *
 * <p>
 * {@link #readAlone} is the baseline: the same read through a pipeline without the
 * adapter's handler.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
@State(Scope.Thread)
public class NettyPerRequestPathBenchmark {

	private final ByteBuf request = Unpooled.unreleasableBuffer(Unpooled.copiedBuffer(new byte[128]));

	private final RequestObserver observer = new RequestObserver();

	private final Sink sink = new Sink();

	private final EmbeddedChannel tracked = new EmbeddedChannel(this.sink);

	private final EmbeddedChannel bare = new EmbeddedChannel(this.sink);

	private final ChannelOperations<?, ?> operations = new ChannelOperations<>(Connection.from(this.tracked),
			ConnectionObserver.emptyListener());

	@Setup
	public void setUp(Blackhole blackhole) {
		this.sink.blackhole = blackhole;
		HttpTerminator terminator = new HttpTerminator(TerminatorSettings.DEFAULTS);
		BindingCapture adapter = new BindingCapture();
		terminator.install(adapter);
		new TrackedChannel(this.tracked).install(Objects.requireNonNull(adapter.binding), new OpenChannels());
	}

	@TearDown
	public void tearDown() {
		this.tracked.finishAndReleaseAll();
		this.bare.finishAndReleaseAll();
	}

	/**
	 * A request on a keep-alive connection: its bytes read, then the observer's
	 * transitions.
	 */
	@Benchmark
	public void nettyPerRequestPath() {
		this.tracked.pipeline().fireChannelRead(this.request);
		this.observer.onStateChange(this.operations, ConnectionObserver.State.CONFIGURED);
		this.observer.onStateChange(this.operations, ConnectionObserver.State.DISCONNECTING);
	}

	/**
	 * The baseline: the read through a pipeline without the adapter's handler.
	 */
	@Benchmark
	public void readAlone() {
		this.bare.pipeline().fireChannelRead(this.request);
	}

	@ChannelHandler.Sharable
	private static final class Sink extends ChannelInboundHandlerAdapter {

		private @Nullable Blackhole blackhole;

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			Blackhole consumer = this.blackhole;
			if (consumer != null) {
				consumer.consume(msg);
			}
		}

	}

	private static final class BindingCapture implements ServerAdapter {

		private @Nullable ServerBinding binding;

		@Override
		public String serverName() {
			return "benchmark";
		}

		@Override
		public List<UntrackedConnector> install(ServerBinding binding) {
			this.binding = binding;
			return List.of();
		}

	}

}
