package io.ergate;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A workflow bound to an engine: its steps ready to run, an index by name, and the longest path from
 * each step to the end, from which progress is computed.
 */
final class RegisteredWorkflow {

	private final Workflow workflow;

	private final String[] names;

	private final BoundStep[] steps;

	private final List<PathHint>[] hints;

	private final Map<String, Integer> indexes;

	/** longest[i]: the most steps a job can still run starting at step i, step i included. */
	private final int[] longest;

	/** Each step's retry policy: its own, else the workflow's, else the engine's default. */
	private final RetryPolicy[] policies;

	/** Each step's timeout, resolved as the policies; null entries for none. */
	private final @Nullable Duration[] timeouts;

	@SuppressWarnings("unchecked")
	RegisteredWorkflow(Workflow workflow, StepBinder binder, RetryPolicy defaultRetry,
			@Nullable Duration defaultTimeout) {
		this.workflow = workflow;
		List<WorkflowStep> definitions = workflow.steps();
		int count = definitions.size();
		this.names = new String[count];
		this.steps = new BoundStep[count];
		this.hints = new List[count];
		this.indexes = new HashMap<>();
		this.policies = new RetryPolicy[count];
		this.timeouts = new Duration[count];
		for (int i = 0; i < count; i++) {
			WorkflowStep step = definitions.get(i);
			RetryPolicy policy = (step.retryPolicy() != null) ? step.retryPolicy() : workflow.retryPolicy();
			this.policies[i] = (policy != null) ? policy : defaultRetry;
			Duration timeout = (step.timeout() != null) ? step.timeout() : workflow.timeout();
			this.timeouts[i] = (timeout != null) ? timeout : defaultTimeout;
			this.names[i] = step.name();
			this.hints[i] = step.pathHints();
			this.indexes.put(step.name(), i);
		}
		for (int i = 0; i < count; i++) {
			this.steps[i] = binder.bind(workflow.name(), definitions.get(i));
		}
		this.longest = new int[count + 1];
		for (int i = count - 1; i >= 0; i--) {
			int remaining = 0;
			if (this.hints[i].isEmpty()) {
				remaining = this.longest[i + 1];
			}
			for (PathHint hint : this.hints[i]) {
				remaining = Math.max(remaining, switch (hint.kind()) {
					case NEXT -> this.longest[i + 1];
					case END -> 0;
					case GO_TO -> this.longest[this.indexes.get(hint.target())];
				});
			}
			this.longest[i] = 1 + remaining;
		}
	}

	Workflow workflow() {
		return this.workflow;
	}

	String name() {
		return this.workflow.name();
	}

	int size() {
		return this.steps.length;
	}

	String stepName(int index) {
		return this.names[index];
	}

	RetryPolicy retryPolicy(int index) {
		return this.policies[index];
	}

	@Nullable Duration timeout(int index) {
		return this.timeouts[index];
	}

	BoundStep step(int index) {
		return this.steps[index];
	}

	/** @return the index of the named step, or -1 */
	int indexOf(@Nullable String stepName) {
		if (stepName == null) {
			return 0;
		}
		Integer index = this.indexes.get(stepName);
		return (index != null) ? index : -1;
	}

	String knownSteps() {
		return String.join(", ", this.names);
	}

	/**
	 * The most steps the job can still run after step {@code index}, leaving it to {@code target}
	 * ({@code target == size()}: the end).
	 */
	int remainingAfterJump(int index, int target) {
		if (target >= this.steps.length) {
			return 0;
		}
		if (target == index + 1 || this.hints[index].contains(PathHint.goTo(this.names[target]))) {
			return this.longest[target];
		}
		// A jump the step did not declare: assume the rest of the workflow.
		return this.steps.length - 1 - index;
	}

}
