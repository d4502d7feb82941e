package dev.terminator.context;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Says whether terminator ends a Spring MVC handler's async request
 * {@code terminator.async.end-after} into the drain, where the handler's declared return
 * type guesses wrong.
 *
 * <p>
 * By default terminator ends only what cannot end by itself, told by the declared return
 * type (inside a {@code ResponseEntity} too): streams ({@code SseEmitter},
 * {@code ResponseBodyEmitter}, multi-value reactive types such as {@code Flux}) and long
 * polls (a {@code DeferredResult}). Single-value async results ({@code CompletableFuture}
 * and other {@code CompletionStage}s, {@code Mono}) and any other return type finish as
 * any request does, until the drain's timeout. Annotate a handler method, or its
 * controller class for all its methods (the method's own annotation wins):
 * <ul>
 * <li>{@code @DrainEndsAsync} to end it, such as a method declared to return
 * {@code Object} that streams, or a {@code CompletableFuture} that waits for an event
 * which may never come;</li>
 * <li>{@code @DrainEndsAsync(false)} to let it finish, such as a {@code DeferredResult}
 * that a backend call sets within a second or two, or a finite {@code Flux} written as
 * one JSON array.</li>
 * </ul>
 * Only async requests that Spring MVC runs on a {@code DeferredResult} can be ended: the
 * annotation does nothing on a {@code Callable}, a {@code WebAsyncTask} or a
 * {@code StreamingResponseBody}, which run until they return or the drain's timeout cuts
 * them.
 *
 * @see DrainStartedEvent
 */
@Target({ ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface DrainEndsAsync {

	/**
	 * Whether terminator ends the handler's async requests
	 * {@code terminator.async.end-after} into the drain.
	 * @return {@code true} to end them, {@code false} to let them finish until the
	 * drain's timeout
	 */
	boolean value() default true;

}
