package dev.terminator.autoconfigure;

import dev.terminator.context.DrainEndsAsync;
import org.jspecify.annotations.Nullable;

import org.springframework.core.ReactiveAdapter;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpEntity;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

/**
 * Which async requests the drain ends: those that cannot end by themselves, told by the
 * handler method's declared return type, unless {@link DrainEndsAsync} says otherwise.
 * Spring MVC runs streams, long polls and single-value async results alike on a
 * {@link DeferredResult}, which alone does not tell them apart.
 */
final class AsyncHandlerEnding {

	private final ReactiveAdapterRegistry reactiveAdapters;

	/**
	 * Create an instance.
	 * @param reactiveAdapters the reactive types known to Spring MVC
	 */
	AsyncHandlerEnding(ReactiveAdapterRegistry reactiveAdapters) {
		this.reactiveAdapters = reactiveAdapters;
	}

	/**
	 * Whether the drain ends the async requests of a handler.
	 * @param handler the handler of the request, as Spring MVC's handler mapping found
	 * it; {@code null} if none is known
	 * @return {@code true} for a stream, a long poll, or a handler annotated so
	 */
	boolean endsOnDrain(@Nullable Object handler) {
		if (!(handler instanceof HandlerMethod handlerMethod)) {
			// A functional endpoint: no declared return type to tell by.
			return false;
		}
		DrainEndsAsync annotation = annotation(handlerMethod);
		if (annotation != null) {
			return annotation.value();
		}
		return cannotEndByItself(ResolvableType.forMethodParameter(handlerMethod.getReturnType()));
	}

	private static @Nullable DrainEndsAsync annotation(HandlerMethod handlerMethod) {
		DrainEndsAsync onMethod = handlerMethod.getMethodAnnotation(DrainEndsAsync.class);
		return (onMethod != null) ? onMethod
				: AnnotatedElementUtils.findMergedAnnotation(handlerMethod.getBeanType(), DrainEndsAsync.class);
	}

	private boolean cannotEndByItself(ResolvableType returnType) {
		Class<?> type = returnType.toClass();
		if (HttpEntity.class.isAssignableFrom(type)) {
			// Spring MVC streams a ResponseEntity's emitter or reactive body as it does
			// the bare one.
			return cannotEndByItself(returnType.as(HttpEntity.class).getGeneric(0));
		}
		if (ResponseBodyEmitter.class.isAssignableFrom(type) || DeferredResult.class.isAssignableFrom(type)) {
			return true;
		}
		ReactiveAdapter adapter = this.reactiveAdapters.getAdapter(type);
		return adapter != null && adapter.isMultiValue();
	}

}
