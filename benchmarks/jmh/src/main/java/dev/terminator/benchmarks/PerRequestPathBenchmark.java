package dev.terminator.benchmarks;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import dev.terminator.core.ConnectionControl;
import dev.terminator.core.HttpTerminator;
import dev.terminator.core.ServerAdapter;
import dev.terminator.core.ServerBinding;
import dev.terminator.core.TerminatorSettings;
import dev.terminator.core.TrackedConnection;
import dev.terminator.core.UntrackedConnector;
import dev.terminator.servlet.ConnectionCloseFilter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What terminator adds to every request while the server runs: the registry transitions a
 * container adapter makes (a keep-alive connection turns active when a request arrives,
 * idle when its response is done) and the {@link ConnectionCloseFilter} around the
 * servlet chain, which only looks at the terminator's state before and after the chain
 * while no drain runs.
 *
 * <p>
 * {@link #chainAlone} is the baseline: the same stub request, response and chain without
 * the filter.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
@State(Scope.Thread)
public class PerRequestPathBenchmark {

	private TrackedConnection connection;

	private ConnectionCloseFilter filter;

	private StubRequest request;

	private StubResponse response;

	private FilterChain chain;

	@Setup
	public void setUp(Blackhole blackhole) {
		HttpTerminator terminator = new HttpTerminator(TerminatorSettings.DEFAULTS);
		OneConnection adapter = new OneConnection();
		terminator.install(adapter);
		this.connection = adapter.connection;
		this.filter = new ConnectionCloseFilter(terminator::isClosingConnections);
		this.request = new StubRequest();
		this.response = new StubResponse();
		this.chain = (request, response) -> blackhole.consume(response);
	}

	/**
	 * A request on a keep-alive connection, as the registry sees it.
	 */
	@Benchmark
	public void registryTransitions() {
		this.connection.becameActive();
		this.connection.becameIdle();
	}

	/**
	 * The filter around an empty chain, HTTP/1.1, no drain.
	 */
	@Benchmark
	public void filter() throws IOException, ServletException {
		this.filter.doFilter(this.request, this.response, this.chain);
	}

	/**
	 * The whole per-request path: the transitions and the filter.
	 */
	@Benchmark
	public void perRequestPath() throws IOException, ServletException {
		this.connection.becameActive();
		this.filter.doFilter(this.request, this.response, this.chain);
		this.connection.becameIdle();
	}

	/**
	 * The baseline: the chain without the filter.
	 */
	@Benchmark
	public void chainAlone() throws IOException, ServletException {
		this.chain.doFilter(this.request, this.response);
	}

	/**
	 * An adapter that registers one connection as it installs, as a container adapter
	 * does for each socket it accepts.
	 */
	private static final class OneConnection implements ServerAdapter {

		private TrackedConnection connection;

		@Override
		public String serverName() {
			return "benchmark";
		}

		@Override
		public List<UntrackedConnector> install(ServerBinding binding) {
			this.connection = binding.register(new NoControl());
			return List.of();
		}

	}

	private static final class NoControl implements ConnectionControl {

		@Override
		public void closeIfIdle() {
		}

		@Override
		public void forceClose() {
		}

	}

}
