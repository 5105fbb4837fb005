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

	/** The engine's defaults for steps whose workflow declares no policy or timeout. */
	private final RetryPolicy defaultRetry;

	private final @Nullable Duration defaultTimeout;

	WorkflowRegistry(RetryPolicy defaultRetry, @Nullable Duration defaultTimeout) {
		this.defaultRetry = defaultRetry;
		this.defaultTimeout = defaultTimeout;
	}

	synchronized void register(Workflow workflow, StepBinder binder) {
		if (this.workflows.containsKey(workflow.name())) {
			throw new InvalidDefinitionException("A workflow named \"" + workflow.name()
					+ "\" is already registered: workflow names must be unique");
		}
		this.workflows.put(workflow.name(), new RegisteredWorkflow(workflow, binder, this.defaultRetry,
				this.defaultTimeout));
	}

	@Nullable RegisteredWorkflow get(String name) {
		return this.workflows.get(name);
	}

	Set<String> names() {
		return this.workflows.keySet();
	}

	/** The default component factory: a class's public no-arg constructor. */
	static <T> T instantiate(Class<T> type) {
		try {
			return type.getDeclaredConstructor().newInstance();
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("cannot call the no-arg constructor of " + type.getName(), ex);
		}
	}

	List<Workflow> workflows() {
		return this.workflows.values().stream().map(RegisteredWorkflow::workflow)
			.sorted((a, b) -> a.name().compareTo(b.name())).toList();
	}

}
