package io.ergate;

import java.time.Duration;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One step of a {@link Workflow}: its name, its path hints and its code.
 */
public final class WorkflowStep {

	private final String name;

	private final List<PathHint> pathHints;

	private final StepBody body;

	private final @Nullable RetryPolicy retryPolicy;

	private final @Nullable Duration timeout;

	WorkflowStep(String name, List<PathHint> pathHints, StepBody body, @Nullable RetryPolicy retryPolicy,
			@Nullable Duration timeout) {
		this.name = name;
		this.pathHints = List.copyOf(pathHints);
		this.body = body;
		this.retryPolicy = retryPolicy;
		this.timeout = timeout;
	}

	/**
	 * Returns the step's name, unique in its workflow.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * Returns the exits the step may take: the declared ones, with {@code next} added when the step
	 * can return a value (a lambda, or a method that is not {@code void}); empty when it declared none
	 * (it then always goes on to the next step).
	 * @return the hints
	 */
	public List<PathHint> pathHints() {
		return this.pathHints;
	}

	/**
	 * Returns the retry policy declared for this step.
	 * @return the policy, or {@code null} when the step has none of its own (the workflow's, or the
	 * engine's default, applies)
	 */
	public @Nullable RetryPolicy retryPolicy() {
		return this.retryPolicy;
	}

	/**
	 * Returns the timeout declared for this step.
	 * @return the timeout, or {@code null} when the step has none of its own (the workflow's, or the
	 * engine's default, applies)
	 */
	public @Nullable Duration timeout() {
		return this.timeout;
	}

	StepBody body() {
		return this.body;
	}

	@Override
	public String toString() {
		return this.name + (this.pathHints.isEmpty() ? "" : " " + this.pathHints);
	}

}
