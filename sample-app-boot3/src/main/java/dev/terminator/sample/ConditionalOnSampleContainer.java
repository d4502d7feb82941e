package dev.terminator.sample;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/**
 * Matches when {@code sample.container} names the given container (when unset,
 * {@code tomcat} on the servlet stack, {@code netty} on the reactive one). An unknown
 * name stops start-up, before any server starts, instead of falling back to whichever
 * container Spring Boot finds first.
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Conditional(OnSampleContainerCondition.class)
@interface ConditionalOnSampleContainer {

	/**
	 * The container that must be chosen.
	 * @return the container
	 */
	SampleContainer value();

}
