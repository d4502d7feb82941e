package dev.terminator.micrometer;

import dev.terminator.core.DrainResult;
import dev.terminator.core.LameDuck;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Observation.Context} of a termination: the server it terminates, its
 * lame-duck delay once that ended, and its drain's result once the drain finished.
 */
public class TerminationContext extends Observation.Context {

	private final String serverName;

	private volatile @Nullable LameDuck lameDuck;

	private volatile @Nullable DrainResult result;

	/**
	 * Create a context for the termination of the given server.
	 * @param serverName the server's name, as {@code HttpTerminator.serverName()} gives
	 * it
	 */
	public TerminationContext(String serverName) {
		this.serverName = serverName;
	}

	/**
	 * The name of the server being terminated.
	 * @return {@code tomcat}, {@code jetty}, {@code undertow}, {@code netty}, or
	 * {@code web server} when no adapter covers it
	 */
	public String getServerName() {
		return this.serverName;
	}

	/**
	 * The lame-duck delay, once it ended.
	 * @return the delay, {@code null} if there was none or it has not ended
	 */
	public @Nullable LameDuck getLameDuck() {
		return this.lameDuck;
	}

	void setLameDuck(LameDuck lameDuck) {
		this.lameDuck = lameDuck;
	}

	/**
	 * The drain's result, once it finished.
	 * @return the result, {@code null} while the termination lasts
	 */
	public @Nullable DrainResult getResult() {
		return this.result;
	}

	void setResult(DrainResult result) {
		this.result = result;
	}

}
