package dev.terminator.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The sample app's endpoints, for tests: quick, slow, streaming and echo; and two that
 * misbehave on purpose, for the fault cases: a large body and a handler that ignores
 * interruption.
 */
@RestController
public class TestEndpoints {

	private static final int LARGE_BODY_CHUNK = 64 * 1024;

	// Per application context, so that tests running servers side by side release only
	// their own handlers.
	private final CountDownLatch releaseUninterruptible = new CountDownLatch(1);

	private final AtomicInteger slowInFlight = new AtomicInteger();

	private final CountDownLatch releaseHeld = new CountDownLatch(1);

	private final AtomicInteger heldInFlight = new AtomicInteger();

	/**
	 * How many {@code /slow} requests are inside the handler now.
	 * @return requests in flight
	 */
	public int slowInFlight() {
		return this.slowInFlight.get();
	}

	@GetMapping(path = "/hello", produces = "text/plain")
	String hello() {
		return "hello";
	}

	@GetMapping(path = "/slow", produces = "text/plain")
	String slow(@RequestParam long millis) throws InterruptedException {
		this.slowInFlight.incrementAndGet();
		try {
			Thread.sleep(millis);
			return "slow";
		}
		finally {
			this.slowInFlight.decrementAndGet();
		}
	}

	/**
	 * How many {@code /held} requests are inside the handler now.
	 * @return requests in flight
	 */
	public int heldInFlight() {
		return this.heldInFlight.get();
	}

	/**
	 * Waits until the test calls {@link #releaseHeld()}: a request in flight for exactly
	 * as long as the test needs. An interrupt (a forced stop) ends it with an error.
	 */
	@GetMapping(path = "/held", produces = "text/plain")
	String held() throws InterruptedException {
		this.heldInFlight.incrementAndGet();
		try {
			this.releaseHeld.await();
			return "held";
		}
		finally {
			this.heldInFlight.decrementAndGet();
		}
	}

	/**
	 * Let every request waiting in {@code /held} return.
	 */
	public void releaseHeld() {
		this.releaseHeld.countDown();
	}

	@GetMapping("/stream")
	void stream(@RequestParam int chunks, @RequestParam long intervalMillis, HttpServletResponse response)
			throws IOException, InterruptedException {
		response.setContentType("text/plain");
		OutputStream body = response.getOutputStream();
		for (int chunk = 0; chunk < chunks; chunk++) {
			if (chunk > 0) {
				Thread.sleep(intervalMillis);
			}
			body.write(("chunk " + chunk + "\n").getBytes(StandardCharsets.US_ASCII));
			body.flush();
		}
	}

	@PostMapping("/echo")
	byte[] echo(@RequestBody(required = false) byte[] body) {
		return (body != null) ? body : new byte[0];
	}

	/**
	 * Writes {@code bytes} bytes of {@code x}: a client that never reads leaves this
	 * handler blocked in a write.
	 */
	@GetMapping("/large")
	void large(@RequestParam long bytes, HttpServletResponse response) throws IOException {
		response.setContentType("application/octet-stream");
		response.setContentLengthLong(bytes);
		byte[] chunk = new byte[LARGE_BODY_CHUNK];
		Arrays.fill(chunk, (byte) 'x');
		OutputStream body = response.getOutputStream();
		for (long left = bytes; left > 0; left -= chunk.length) {
			body.write(chunk, 0, (int) Math.min(chunk.length, left));
		}
	}

	/**
	 * Waits until {@link #releaseUninterruptible()}, swallowing interrupts the way
	 * careless code does, so that nothing the container or the drain does can end it
	 * early.
	 */
	@GetMapping(path = "/uninterruptible", produces = "text/plain")
	String uninterruptible() {
		boolean interrupted = false;
		while (this.releaseUninterruptible.getCount() > 0) {
			try {
				this.releaseUninterruptible.await();
			}
			catch (InterruptedException ex) {
				interrupted = true;
			}
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
		return "released";
	}

	/**
	 * Let every request waiting in {@code /uninterruptible} return.
	 */
	public void releaseUninterruptible() {
		this.releaseUninterruptible.countDown();
	}

}
