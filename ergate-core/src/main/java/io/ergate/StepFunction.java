package io.ergate;

import org.jspecify.annotations.Nullable;

/**
 * A step written as a lambda that takes the step's input, converted to a given type.
 * <pre>{@code
 * Workflow.builder("my_first_workflow")
 *     .step("step_1", Integer.class, in -> in + 1)
 * }</pre>
 *
 * @param <I> the input type
 */
@FunctionalInterface
public interface StepFunction<I> {

	/**
	 * Runs the step.
	 * @param input the previous step's return value (or the job's initial input for the first step)
	 * @return the value passed to the next step
	 * @throws Exception any failure: the job fails with its stack trace, unless it is a
	 * {@link FlowControl}
	 */
	@Nullable Object apply(@Nullable I input) throws Exception;

}
