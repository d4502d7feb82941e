package dev.terminator.sample.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

import static org.awaitility.Awaitility.await;

/**
 * The sample app's jar running as a separate JVM, with its console output captured line
 * by line (and copied to a file for when a test fails).
 */
final class SampleAppProcess implements AutoCloseable {

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

	private static final Pattern STARTED_ON_PORT = Pattern.compile("started on port (\\d+)");

	private final Process process;

	private final List<String> lines = new CopyOnWriteArrayList<>();

	private final Thread reader;

	private SampleAppProcess(Process process, Path logFile) {
		this.process = process;
		this.reader = new Thread(() -> copyOutput(logFile), "sample-app-output-" + process.pid());
		this.reader.setDaemon(true);
		this.reader.start();
	}

	/**
	 * Start {@code java -jar} on the jar named by the {@code sample.jar} system property
	 * (set by failsafe) and wait until the application has started.
	 * @param logFile where to copy the console output
	 * @param arguments the application's arguments
	 * @return the running application
	 * @throws IOException if the JVM cannot be started
	 */
	static SampleAppProcess start(Path logFile, List<String> arguments) throws IOException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		// Quicker start on a small machine; the tests do not measure throughput.
		command.add("-XX:TieredStopAtLevel=1");
		command.add("-jar");
		command.add(jar().toString());
		command.addAll(arguments);
		Files.createDirectories(logFile.getParent());
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		SampleAppProcess app = new SampleAppProcess(process, logFile);
		try {
			await("sample app started (see " + logFile + ")").atMost(STARTUP_TIMEOUT)
				.pollInterval(Duration.ofMillis(100))
				.until(() -> app.hasLogged("Started SampleApplication") || !process.isAlive());
			if (!process.isAlive()) {
				throw new IllegalStateException(
						"Sample app exited with " + process.exitValue() + " during start-up:\n" + app.output());
			}
		}
		catch (RuntimeException | Error ex) {
			app.close();
			throw ex;
		}
		return app;
	}

	/**
	 * Whether a library in the sample app's jar has an entry starting with the given
	 * name: what runs is the jar, whatever the test class path holds.
	 * @param prefix the start of an entry name, such as {@code dev/terminator/jetty/}
	 * @return whether a nested library jar has such an entry
	 * @throws IOException if the jar cannot be read
	 */
	static boolean jarContains(String prefix) throws IOException {
		try (ZipFile jar = new ZipFile(jar().toFile())) {
			for (ZipEntry library : Collections.list(jar.entries())) {
				if (library.getName().startsWith("BOOT-INF/lib/terminator-") && library.getName().endsWith(".jar")) {
					try (ZipInputStream nested = new ZipInputStream(jar.getInputStream(library))) {
						for (ZipEntry entry = nested.getNextEntry(); entry != null; entry = nested.getNextEntry()) {
							if (entry.getName().startsWith(prefix)) {
								return true;
							}
						}
					}
				}
			}
		}
		return false;
	}

	private static Path jar() {
		String jar = System.getProperty("sample.jar");
		if (jar == null || !Files.isRegularFile(Path.of(jar))) {
			throw new IllegalStateException(
					"System property sample.jar must name the built sample-app.jar, was " + jar);
		}
		return Path.of(jar);
	}

	private void copyOutput(Path logFile) {
		try (BufferedReader output = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8));
				PrintWriter copy = new PrintWriter(Files.newBufferedWriter(logFile, StandardCharsets.UTF_8), true)) {
			for (String line = output.readLine(); line != null; line = output.readLine()) {
				this.lines.add(line);
				copy.println(line);
			}
		}
		catch (IOException ex) {
			// The pipe closes when the process is destroyed forcibly: the output ends
			// there.
		}
	}

	/**
	 * The ports the embedded servers logged that they started on, in the order they
	 * started.
	 * @return the ports
	 */
	List<Integer> ports() {
		List<Integer> ports = new ArrayList<>();
		for (String line : this.lines) {
			Matcher matcher = STARTED_ON_PORT.matcher(line);
			if (matcher.find()) {
				ports.add(Integer.valueOf(matcher.group(1)));
			}
		}
		return ports;
	}

	long pid() {
		return this.process.pid();
	}

	boolean isAlive() {
		return this.process.isAlive();
	}

	/**
	 * Send SIGTERM, as Kubernetes does. {@link ProcessHandle#destroy()} is
	 * {@code kill(pid, SIGTERM)} on Linux and, unlike {@link Process#destroy()}, leaves
	 * the output pipe open so the shutdown's log can still be read.
	 */
	void sigterm() {
		if (!this.process.toHandle().destroy()) {
			throw new IllegalStateException("Could not send SIGTERM to " + this.process.pid());
		}
	}

	/**
	 * Wait for the JVM to exit.
	 * @param timeout the longest to wait
	 * @return the exit code
	 * @throws InterruptedException if interrupted
	 */
	int awaitExit(Duration timeout) throws InterruptedException {
		if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
			throw new AssertionError(
					"Sample app still running " + timeout + " after being asked to stop:\n" + output());
		}
		// The whole output, the drain summary included, is read before anyone looks at
		// it.
		this.reader.join(TimeUnit.SECONDS.toMillis(10));
		return this.process.exitValue();
	}

	boolean hasLogged(String text) {
		return logLine(text).isPresent();
	}

	Optional<String> logLine(String text) {
		return this.lines.stream().filter((line) -> line.contains(text)).findFirst();
	}

	String output() {
		return String.join("\n", this.lines);
	}

	@Override
	public void close() {
		if (this.process.isAlive()) {
			this.process.destroyForcibly();
		}
	}

}
