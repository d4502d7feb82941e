package dev.terminator.server;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The endpoints the behaviour suites request, as the Boot suites' controller has them, in
 * one servlet mapped to {@code /}: {@code /hello}, {@code /held} (until the test releases
 * it), {@code /slow?millis=}, {@code /stream?chunks=&intervalMillis=},
 * {@code POST /echo}; and two that misbehave on purpose, for the fault cases:
 * {@code /large?bytes=} and {@code /uninterruptible}; and for the filter, {@code /error}
 * (503), {@code /redirect} and {@code /flushed}. One instance per server, so that servers
 * side by side release only their own requests.
 */
public class TestServlet extends HttpServlet {

	private static final int LARGE_BODY_CHUNK = 64 * 1024;

	private final transient CountDownLatch releaseHeld = new CountDownLatch(1);

	private final transient CountDownLatch releaseUninterruptible = new CountDownLatch(1);

	private final AtomicInteger heldInFlight = new AtomicInteger();

	private final AtomicInteger slowInFlight = new AtomicInteger();

	/**
	 * How many {@code /held} requests are inside the servlet now.
	 * @return requests in flight
	 */
	public int heldInFlight() {
		return this.heldInFlight.get();
	}

	/**
	 * How many {@code /slow} requests are inside the servlet now.
	 * @return requests in flight
	 */
	public int slowInFlight() {
		return this.slowInFlight.get();
	}

	/**
	 * Let every request waiting in {@code /held} return.
	 */
	public void releaseHeld() {
		this.releaseHeld.countDown();
	}

	/**
	 * Let every request waiting in {@code /uninterruptible} return.
	 */
	public void releaseUninterruptible() {
		this.releaseUninterruptible.countDown();
	}

	@Override
	protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
		try {
			switch (request.getRequestURI()) {
				case "/hello" -> text(response, "hello");
				case "/held" -> text(response, held());
				case "/slow" -> text(response, slow(Long.parseLong(request.getParameter("millis"))));
				case "/stream" -> stream(Integer.parseInt(request.getParameter("chunks")),
						Long.parseLong(request.getParameter("intervalMillis")), response);
				case "/large" -> large(Long.parseLong(request.getParameter("bytes")), response);
				case "/uninterruptible" -> text(response, uninterruptible());
				case "/error" -> response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
				case "/redirect" -> response.sendRedirect("/hello");
				case "/flushed" -> {
					response.setContentType("text/plain");
					response.flushBuffer();
				}
				default -> response.sendError(HttpServletResponse.SC_NOT_FOUND);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
		}
	}

	@Override
	protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
		if (!"/echo".equals(request.getRequestURI())) {
			response.sendError(HttpServletResponse.SC_NOT_FOUND);
			return;
		}
		byte[] body = request.getInputStream().readAllBytes();
		response.setContentType("text/plain");
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
	}

	private static void text(HttpServletResponse response, String text) throws IOException {
		byte[] body = text.getBytes(StandardCharsets.UTF_8);
		response.setContentType("text/plain");
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
	}

	// A request in flight for exactly as long as the test needs; an interrupt (a forced
	// stop) ends it with an error.
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

	String slow(long millis) throws InterruptedException {
		this.slowInFlight.incrementAndGet();
		try {
			Thread.sleep(millis);
			return "slow";
		}
		finally {
			this.slowInFlight.decrementAndGet();
		}
	}

	private static void stream(int chunks, long intervalMillis, HttpServletResponse response)
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

	// A client that never reads leaves this servlet blocked in a write.
	private static void large(long bytes, HttpServletResponse response) throws IOException {
		response.setContentType("application/octet-stream");
		response.setContentLengthLong(bytes);
		byte[] chunk = new byte[LARGE_BODY_CHUNK];
		Arrays.fill(chunk, (byte) 'x');
		OutputStream body = response.getOutputStream();
		for (long left = bytes; left > 0; left -= chunk.length) {
			body.write(chunk, 0, (int) Math.min(chunk.length, left));
		}
	}

	// Swallows interrupts the way careless code does, so that nothing the container or
	// the drain does can end it early.
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

}
