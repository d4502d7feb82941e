package dev.terminator.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The sample app's endpoints, for tests: quick, slow, streaming and echo.
 */
@RestController
public class TestEndpoints {

	private final AtomicInteger slowInFlight = new AtomicInteger();

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

}
