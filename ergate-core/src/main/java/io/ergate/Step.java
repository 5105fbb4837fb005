package io.ergate;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of an {@link ErgateWorkflow} class as one of its steps.
 * <p>
 * Steps run in ascending {@link #order()} (Java does not keep the order in which methods are
 * declared). Parameters are annotated {@link Input}, {@link Context} or {@link Depends}, or are of
 * type {@link Job}; anything else is supplied by a {@link ParameterResolver} (Spring beans, with the
 * starter). The return value is the next step's input.
 * <p>
 * The path hints ({@link #next()}, {@link #goTo()}, {@link #end()}) list the exits the step may take,
 * so that {@code percent_completed} is exact; a step without hints is taken to always go to the next
 * step. As in the original Ergate, a step with hints whose method returns a value may also return
 * normally: {@code next} is implied for it. Only a {@code void} method with {@code goTo} or
 * {@code end} hints is taken never to go on to the next step.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Step {

	/**
	 * The step's position in the workflow: steps run in ascending order; no two steps share one.
	 * @return the order
	 */
	int order();

	/**
	 * The step's name, unique in the workflow.
	 * @return the name; empty (the default) for the method's name
	 */
	String name() default "";

	/**
	 * Path hint: the step may return normally and go on to the next step. Implied when no hint is
	 * given, and when the method returns a value (is not {@code void}).
	 * @return whether the step may go on to the next step
	 */
	boolean next() default false;

	/**
	 * Path hint: the steps this step may jump to with {@link GoToStep}; each must come later in the
	 * workflow.
	 * @return step names
	 */
	String[] goTo() default {};

	/**
	 * Path hint: the step may finish the job with {@link GoToEnd}.
	 * @return whether the step may end the job
	 */
	boolean end() default false;

	/**
	 * How long one run of the step may take ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h} or
	 * ISO-8601): then its thread is interrupted and the attempt fails with a
	 * {@link StepTimeoutException}, which a {@link Retry} policy may retry.
	 * @return the timeout; empty (the default) for the workflow's, or the engine's default
	 */
	String timeout() default "";

}
