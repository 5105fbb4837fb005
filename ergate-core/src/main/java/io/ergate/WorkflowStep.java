package io.ergate;

import java.util.List;

/**
 * One step of a {@link Workflow}: its name, its path hints and its code.
 */
public final class WorkflowStep {

	private final String name;

	private final List<PathHint> pathHints;

	private final StepBody body;

	WorkflowStep(String name, List<PathHint> pathHints, StepBody body) {
		this.name = name;
		this.pathHints = List.copyOf(pathHints);
		this.body = body;
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

	StepBody body() {
		return this.body;
	}

	@Override
	public String toString() {
		return this.name + (this.pathHints.isEmpty() ? "" : " " + this.pathHints);
	}

}
