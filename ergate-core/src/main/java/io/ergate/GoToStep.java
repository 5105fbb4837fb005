package io.ergate;

import org.jspecify.annotations.Nullable;

/**
 * Thrown by a step to skip ahead: the named step runs next. Jumps go forward only; a jump to a step
 * at or before the current one fails the job.
 * <pre>{@code
 * throw new GoToStep("step_4", value); // step_4 receives value as its input
 * }</pre>
 */
public final class GoToStep extends FlowControl {

	private static final long serialVersionUID = 1L;

	private final String stepName;

	private final transient @Nullable Object returnValue;

	/**
	 * Jumps to a step, passing it {@code null} as input.
	 * @param stepName the step to run next, later in the workflow
	 */
	public GoToStep(String stepName) {
		this(stepName, null);
	}

	/**
	 * Jumps to a step, passing it a value as input.
	 * @param stepName the step to run next, later in the workflow
	 * @param returnValue this step's return value
	 */
	public GoToStep(String stepName, @Nullable Object returnValue) {
		super("Go to step " + stepName);
		this.stepName = stepName;
		this.returnValue = returnValue;
	}

	/**
	 * Returns the step to run next.
	 * @return its name
	 */
	public String stepName() {
		return this.stepName;
	}

	/**
	 * Returns the value this step returns.
	 * @return the value, possibly {@code null}
	 */
	public @Nullable Object returnValue() {
		return this.returnValue;
	}

}
