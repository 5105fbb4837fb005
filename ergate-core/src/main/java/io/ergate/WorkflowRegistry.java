package io.ergate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * The workflows registered with one engine, by name.
 */
final class WorkflowRegistry {

	private final Map<String, RegisteredWorkflow> workflows = new ConcurrentHashMap<>();

	synchronized void register(Workflow workflow, StepBinder binder, RetryPolicy defaultRetry,
			@Nullable Duration defaultTimeout) {
		if (this.workflows.containsKey(workflow.name())) {
			throw new InvalidDefinitionException("A workflow named \"" + workflow.name()
					+ "\" is already registered: workflow names must be unique");
		}
		this.workflows.put(workflow.name(), new RegisteredWorkflow(workflow, binder, defaultRetry, defaultTimeout));
	}

	@Nullable RegisteredWorkflow get(String name) {
		return this.workflows.get(name);
	}

	Set<String> names() {
		return this.workflows.keySet();
	}

	List<Workflow> workflows() {
		return this.workflows.values().stream().map(RegisteredWorkflow::workflow)
			.sorted((a, b) -> a.name().compareTo(b.name())).toList();
	}

}
