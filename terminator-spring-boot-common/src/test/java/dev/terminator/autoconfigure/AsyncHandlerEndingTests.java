package dev.terminator.autoconfigure;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.terminator.context.DrainEndsAsync;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.context.request.async.WebAsyncTask;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.ServerResponse;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which handlers' async requests the drain ends, by declared return type and annotation.
 */
class AsyncHandlerEndingTests {

	private final AsyncHandlerEnding ending = new AsyncHandlerEnding(ReactiveAdapterRegistry.getSharedInstance());

	@ParameterizedTest(name = "{0}: {1}")
	@CsvSource({ "sseEmitter, true", "responseBodyEmitter, true", "sseEmitterEntity, true", "deferredResult, true",
			"flux, true", "serverSentEvents, true", "fluxEntity, true", "completableFuture, false",
			"completionStage, false", "mono, false", "monoEntity, false", "callable, false", "webAsyncTask, false",
			"streamingResponseBody, false", "object, false", "string, false", "annotatedFuture, true",
			"annotatedDeferredResult, false" })
	void endsOnlyWhatCannotEndByItself(String method, boolean ended) throws Exception {
		assertThat(this.ending.endsOnDrain(handler(new Handlers(), method))).isEqualTo(ended);
	}

	@Test
	void annotationOnTheControllerAppliesToEachMethodUnlessTheMethodSaysOtherwise() throws Exception {
		assertThat(this.ending.endsOnDrain(handler(new LetFinishHandlers(), "sseEmitter"))).isFalse();
		assertThat(this.ending.endsOnDrain(handler(new LetFinishHandlers(), "deferredResult"))).isTrue();
	}

	@Test
	void functionalEndpointIsLeftToFinish() {
		HandlerFunction<ServerResponse> function = (request) -> ServerResponse.ok().build();
		assertThat(this.ending.endsOnDrain(function)).isFalse();
		assertThat(this.ending.endsOnDrain(null)).isFalse();
	}

	private static HandlerMethod handler(Object bean, String name) throws NoSuchMethodException {
		return new HandlerMethod(bean, bean.getClass().getDeclaredMethod(name));
	}

	static class Handlers {

		SseEmitter sseEmitter() {
			return null;
		}

		ResponseBodyEmitter responseBodyEmitter() {
			return null;
		}

		ResponseEntity<SseEmitter> sseEmitterEntity() {
			return null;
		}

		DeferredResult<String> deferredResult() {
			return null;
		}

		Flux<String> flux() {
			return null;
		}

		Flux<ServerSentEvent<String>> serverSentEvents() {
			return null;
		}

		ResponseEntity<Flux<String>> fluxEntity() {
			return null;
		}

		CompletableFuture<String> completableFuture() {
			return null;
		}

		CompletionStage<String> completionStage() {
			return null;
		}

		Mono<String> mono() {
			return null;
		}

		ResponseEntity<Mono<String>> monoEntity() {
			return null;
		}

		Callable<String> callable() {
			return null;
		}

		WebAsyncTask<String> webAsyncTask() {
			return null;
		}

		StreamingResponseBody streamingResponseBody() {
			return null;
		}

		Object object() {
			return null;
		}

		String string() {
			return null;
		}

		@DrainEndsAsync
		CompletableFuture<String> annotatedFuture() {
			return null;
		}

		@DrainEndsAsync(false)
		DeferredResult<String> annotatedDeferredResult() {
			return null;
		}

	}

	@DrainEndsAsync(false)
	static class LetFinishHandlers {

		SseEmitter sseEmitter() {
			return null;
		}

		@DrainEndsAsync
		DeferredResult<String> deferredResult() {
			return null;
		}

	}

}
