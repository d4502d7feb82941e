package dev.terminator.sample;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The endpoints that show a drain, on Spring MVC: quick, slow, streaming, asynchronous
 * and echoing requests, and server-sent events that end when the drain begins.
 */
@RestController
@ConditionalOnWebApplication(type = Type.SERVLET)
class SampleController {

	private final EventStreams eventStreams;

	SampleController(EventStreams eventStreams) {
		this.eventStreams = eventStreams;
	}

	@GetMapping(path = "/hello", produces = MediaType.TEXT_PLAIN_VALUE)
	String hello() {
		return "hello";
	}

	@GetMapping(path = "/slow", produces = MediaType.TEXT_PLAIN_VALUE)
	String slow(@RequestParam(defaultValue = "1000") long millis,
			@RequestParam(defaultValue = "false") boolean ignoreInterrupt) throws InterruptedException {
		if (!ignoreInterrupt) {
			Thread.sleep(millis);
			return "slow";
		}
		UninterruptibleSleep.sleep(Duration.ofMillis(millis));
		return "slow";
	}

	@GetMapping("/stream")
	void stream(@RequestParam(defaultValue = "10") int chunks, @RequestParam(defaultValue = "100") long intervalMillis,
			HttpServletResponse response) throws IOException, InterruptedException {
		response.setContentType(MediaType.TEXT_PLAIN_VALUE);
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
	 * An answer that a backend gives after {@code millis}: no request thread waits for it
	 * meanwhile. A single value, so the drain lets it finish.
	 */
	@GetMapping(path = "/async", produces = MediaType.TEXT_PLAIN_VALUE)
	CompletableFuture<String> async(@RequestParam(defaultValue = "1000") long millis) {
		return CompletableFuture.supplyAsync(() -> "async",
				CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS));
	}

	@GetMapping(path = "/sse", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	SseEmitter sse(@RequestParam(defaultValue = "100") int events,
			@RequestParam(defaultValue = "1000") long intervalMillis) {
		return this.eventStreams.open(events, Duration.ofMillis(intervalMillis));
	}

}
