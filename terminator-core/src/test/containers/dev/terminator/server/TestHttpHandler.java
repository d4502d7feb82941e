package dev.terminator.server;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;

/**
 * {@link TestServlet}'s endpoints as a Spring reactive {@link HttpHandler}, for the
 * reactive servers. The blocking ones ({@code /held}, {@code /slow},
 * {@code /uninterruptible}) run the servlet's own methods on a scheduler of their own, so
 * that the servlet's counters and latches hold for both.
 */
final class TestHttpHandler implements HttpHandler {

	private static final int LARGE_BODY_CHUNK = 64 * 1024;

	private final TestServlet servlet;

	private final Scheduler blocking;

	TestHttpHandler(TestServlet servlet, Scheduler blocking) {
		this.servlet = servlet;
		this.blocking = blocking;
	}

	@Override
	public Mono<Void> handle(ServerHttpRequest request, ServerHttpResponse response) {
		String path = request.getPath().value();
		if (request.getMethod() == HttpMethod.POST) {
			return "/echo".equals(path) ? echo(request, response) : status(response, HttpStatus.NOT_FOUND);
		}
		return switch (path) {
			case "/hello" -> text(response, "hello");
			case "/held" -> blocking(response, this.servlet::held);
			case "/slow" -> blocking(response, () -> this.servlet.slow(longParameter(request, "millis")));
			case "/stream" ->
				stream(response, (int) longParameter(request, "chunks"), longParameter(request, "intervalMillis"));
			case "/large" -> large(response, longParameter(request, "bytes"));
			case "/uninterruptible" -> blocking(response, this.servlet::uninterruptible);
			case "/error" -> status(response, HttpStatus.SERVICE_UNAVAILABLE);
			case "/redirect" -> {
				response.setStatusCode(HttpStatus.FOUND);
				response.getHeaders().setLocation(request.getURI().resolve("/hello"));
				yield response.setComplete();
			}
			case "/flushed" -> {
				response.getHeaders().setContentType(MediaType.TEXT_PLAIN);
				yield response.writeAndFlushWith(Flux.just(Flux.empty()));
			}
			default -> status(response, HttpStatus.NOT_FOUND);
		};
	}

	private static long longParameter(ServerHttpRequest request, String name) {
		String value = request.getQueryParams().getFirst(name);
		return (value != null) ? Long.parseLong(value) : 0;
	}

	private static Mono<Void> status(ServerHttpResponse response, HttpStatus status) {
		response.setStatusCode(status);
		return response.setComplete();
	}

	private static Mono<Void> text(ServerHttpResponse response, String text) {
		byte[] body = text.getBytes(StandardCharsets.UTF_8);
		response.getHeaders().setContentType(MediaType.TEXT_PLAIN);
		response.getHeaders().setContentLength(body.length);
		return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(body)));
	}

	private Mono<Void> blocking(ServerHttpResponse response, Callable<String> call) {
		return Mono.fromCallable(call).subscribeOn(this.blocking).flatMap((text) -> text(response, text));
	}

	private static Mono<Void> echo(ServerHttpRequest request, ServerHttpResponse response) {
		return DataBufferUtils.join(request.getBody())
			.defaultIfEmpty(response.bufferFactory().wrap(new byte[0]))
			.flatMap((body) -> {
				response.getHeaders().setContentType(MediaType.TEXT_PLAIN);
				response.getHeaders().setContentLength(body.readableByteCount());
				return response.writeWith(Mono.just(body));
			});
	}

	private static Mono<Void> stream(ServerHttpResponse response, int chunks, long intervalMillis) {
		response.getHeaders().setContentType(MediaType.TEXT_PLAIN);
		Flux<Mono<DataBuffer>> body = Flux.range(0, chunks)
			.concatMap((chunk) -> (chunk == 0) ? Mono.just(chunk)
					: Mono.delay(Duration.ofMillis(intervalMillis)).thenReturn(chunk))
			.map((chunk) -> Mono.fromSupplier(() -> response.bufferFactory()
				.wrap(("chunk " + chunk + "\n").getBytes(StandardCharsets.US_ASCII))));
		return response.writeAndFlushWith(body);
	}

	// A client that never reads leaves this response waiting on the socket's
	// writability.
	private static Mono<Void> large(ServerHttpResponse response, long bytes) {
		response.getHeaders().setContentType(MediaType.APPLICATION_OCTET_STREAM);
		response.getHeaders().setContentLength(bytes);
		byte[] chunk = new byte[LARGE_BODY_CHUNK];
		Arrays.fill(chunk, (byte) 'x');
		long chunks = (bytes + LARGE_BODY_CHUNK - 1) / LARGE_BODY_CHUNK;
		Flux<DataBuffer> body = Flux.range(0, (int) chunks).map((index) -> {
			long left = bytes - (long) index * LARGE_BODY_CHUNK;
			return response.bufferFactory().wrap(Arrays.copyOf(chunk, (int) Math.min(LARGE_BODY_CHUNK, left)));
		});
		return response.writeWith(body);
	}

}
