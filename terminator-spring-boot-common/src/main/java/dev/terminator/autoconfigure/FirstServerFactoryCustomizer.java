package dev.terminator.autoconfigure;

import java.util.function.Consumer;

import org.springframework.boot.web.server.WebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * A customizer that runs before every other customizer of its factory, so that what the
 * application's own customizers set afterwards wins. A lambda cannot say its order, hence
 * this class; it customizes only a factory of the given type, since its type argument is
 * not known at run time.
 *
 * @param <T> the factory type
 */
final class FirstServerFactoryCustomizer<T extends WebServerFactory> implements WebServerFactoryCustomizer<T>, Ordered {

	private final Class<T> factoryType;

	private final Consumer<T> customizer;

	FirstServerFactoryCustomizer(Class<T> factoryType, Consumer<T> customizer) {
		this.factoryType = factoryType;
		this.customizer = customizer;
	}

	@Override
	public void customize(T factory) {
		if (this.factoryType.isInstance(factory)) {
			this.customizer.accept(this.factoryType.cast(factory));
		}
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
