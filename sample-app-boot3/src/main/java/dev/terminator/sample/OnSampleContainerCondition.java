package dev.terminator.sample;

import java.util.Map;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Binds {@code sample.container} with Spring Boot's relaxed rules and compares it with
 * {@link ConditionalOnSampleContainer#value()}.
 */
class OnSampleContainerCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Map<String, Object> attributes = metadata.getAnnotationAttributes(ConditionalOnSampleContainer.class.getName());
		SampleContainer required = (SampleContainer) attributes.get("value");
		// Binding fails with a message naming the property when the value is not a known
		// container.
		SampleContainer chosen = SampleContainer.chosen(Binder.get(context.getEnvironment()));
		String message = SampleContainer.PROPERTY + " is " + chosen.propertyValue();
		return (chosen == required) ? ConditionOutcome.match(message) : ConditionOutcome.noMatch(message);
	}

}
