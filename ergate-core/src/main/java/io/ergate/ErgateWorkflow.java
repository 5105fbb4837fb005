package io.ergate;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class whose {@link Step} methods form a workflow. Turn an instance into a
 * {@link Workflow} with {@link Workflow#from(Object)}; the Spring Boot starter does so for every bean
 * with this annotation.
 * <pre>{@code
 * @ErgateWorkflow("my_first_workflow")
 * class MyFirstWorkflow {
 *     @Step(order = 1, name = "step_1")
 *     int step1(@Input int value) { return value + 1; }
 *
 *     @Step(order = 2, name = "step_2")
 *     void step2(@Input int value) { System.out.println(value); }
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ErgateWorkflow {

	/**
	 * The workflow's name, unique among the registered workflows.
	 * @return the name
	 */
	String value();

	/**
	 * The timeout of each step that has none of its own, as {@link Step#timeout()} reads it.
	 * @return the timeout; empty (the default) for the engine's default
	 */
	String timeout() default "";

}
