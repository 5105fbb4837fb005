package io.ergate;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * A named, ordered list of steps. A job executes a workflow one step at a time.
 * <p>
 * Define one with the builder:
 * <pre>{@code
 * Workflow workflow = Workflow.builder("my_first_workflow")
 *     .step("step_1", Integer.class, in -> in + 1)
 *     .step("step_2", Integer.class, in -> {
 *         System.out.println("Received " + in);
 *         return null;
 *     })
 *     .build();
 * }</pre>
 * or with annotations on a plain class ({@link ErgateWorkflow}, {@link Step}) and
 * {@link #from(Object)}.
 */
public final class Workflow {

	private final String name;

	private final List<WorkflowStep> steps;

	private final @Nullable RetryPolicy retryPolicy;

	private final @Nullable Duration timeout;

	private Workflow(String name, List<WorkflowStep> steps, @Nullable RetryPolicy retryPolicy,
			@Nullable Duration timeout) {
		this.name = name;
		this.steps = List.copyOf(steps);
		this.retryPolicy = retryPolicy;
		this.timeout = timeout;
	}

	/**
	 * Starts a workflow definition.
	 * @param name the workflow's name, unique among registered workflows
	 * @return a builder
	 */
	public static Builder builder(String name) {
		return new Builder(name);
	}

	/**
	 * Reads a workflow from an instance of a class annotated {@link ErgateWorkflow}: its
	 * {@link Step} methods, in ascending order.
	 * @param instance the workflow object; its step methods are called on it
	 * @return the workflow
	 * @throws InvalidDefinitionException when the class is not annotated, has no steps, or two steps
	 * share an order or a name
	 */
	public static Workflow from(Object instance) {
		Class<?> type = userClass(instance.getClass());
		ErgateWorkflow annotation = type.getAnnotation(ErgateWorkflow.class);
		if (annotation == null) {
			throw new InvalidDefinitionException(
					type.getName() + " is not annotated @ErgateWorkflow: add @ErgateWorkflow(\"workflow_name\") to it");
		}
		List<Method> methods = new ArrayList<>();
		for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
			for (Method method : c.getDeclaredMethods()) {
				if (method.isAnnotationPresent(Step.class) && !method.isBridge()) {
					methods.add(method);
				}
			}
		}
		methods.sort(Comparator.comparingInt((Method m) -> m.getAnnotation(Step.class).order()));
		String where = "Workflow \"" + annotation.value() + "\"";
		Builder builder = builder(annotation.value());
		Retry workflowRetry = type.getAnnotation(Retry.class);
		if (workflowRetry != null) {
			builder.retry(policy(workflowRetry, where + " @Retry"));
		}
		if (!annotation.timeout().isEmpty()) {
			builder.timeout(Durations.parse(annotation.timeout(), where + " @ErgateWorkflow(timeout)"));
		}
		Method previous = null;
		for (Method method : methods) {
			Step step = method.getAnnotation(Step.class);
			if (previous != null && previous.getAnnotation(Step.class).order() == step.order()) {
				throw new InvalidDefinitionException("Workflow \"" + annotation.value() + "\": steps "
						+ previous.getName() + " and " + method.getName() + " share @Step(order = " + step.order()
						+ "): give each step its own order");
			}
			if (Modifier.isStatic(method.getModifiers())) {
				throw new InvalidDefinitionException("Workflow \"" + annotation.value() + "\": step method "
						+ method.getName() + " is static: make it an instance method");
			}
			method.setAccessible(true);
			List<PathHint> hints = new ArrayList<>();
			if (step.next()) {
				hints.add(PathHint.next());
			}
			for (String target : step.goTo()) {
				hints.add(PathHint.goTo(target));
			}
			if (step.end()) {
				hints.add(PathHint.end());
			}
			String stepName = step.name().isEmpty() ? method.getName() : step.name();
			Retry retry = method.getAnnotation(Retry.class);
			RetryPolicy policy = (retry != null) ? policy(retry, where + ", step \"" + stepName + "\" @Retry") : null;
			Duration timeout = step.timeout().isEmpty() ? null
					: Durations.parse(step.timeout(), where + ", step \"" + stepName + "\" @Step(timeout)");
			builder.add(stepName, hints, new StepBody.Invocation(instance, method), policy, timeout);
			previous = method;
		}
		return builder.build();
	}

	private static RetryPolicy policy(Retry retry, String where) {
		try {
			return RetryPolicy.maxAttempts(retry.maxAttempts())
				.backoff(Durations.parse(retry.delay(), where + " delay"), retry.multiplier(),
						Durations.parse(retry.maxDelay(), where + " maxDelay"))
				.jitter(retry.jitter())
				.retryOn(retry.retryOn())
				.noRetryOn(retry.noRetryOn());
		}
		catch (InvalidDefinitionException ex) {
			throw new InvalidDefinitionException(where + ": " + ex.getMessage());
		}
	}

	private static Class<?> userClass(Class<?> type) {
		// Proxies made by subclassing (CGLIB) keep the annotations on their superclass.
		Class<?> candidate = type;
		while (candidate.getName().contains("$$") && candidate.getSuperclass() != null
				&& candidate.getSuperclass() != Object.class) {
			candidate = candidate.getSuperclass();
		}
		return candidate;
	}

	/**
	 * Returns the workflow's name.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * Returns the steps, in the order they run.
	 * @return the steps, at least one
	 */
	public List<WorkflowStep> steps() {
		return this.steps;
	}

	/**
	 * Returns the retry policy of the steps that have none of their own.
	 * @return the policy, or {@code null} when the workflow declares none (the engine's default applies)
	 */
	public @Nullable RetryPolicy retryPolicy() {
		return this.retryPolicy;
	}

	/**
	 * Returns the timeout of the steps that have none of their own.
	 * @return the timeout, or {@code null} when the workflow declares none (the engine's default applies)
	 */
	public @Nullable Duration timeout() {
		return this.timeout;
	}

	@Override
	public String toString() {
		return "Workflow " + this.name + " " + this.steps.stream().map(WorkflowStep::name).toList();
	}

	/**
	 * Builds a {@link Workflow} step by step. Steps run in the order they are added.
	 */
	public static final class Builder {

		private final String name;

		private final List<WorkflowStep> steps = new ArrayList<>();

		private @Nullable RetryPolicy retryPolicy;

		private @Nullable Duration timeout;

		private Builder(String name) {
			if (name == null || name.isBlank()) {
				throw new InvalidDefinitionException("A workflow needs a name: Workflow.builder(\"my_workflow\")");
			}
			this.name = name;
		}

		/**
		 * Adds a step that takes its input as the given type.
		 * @param <I> the input type
		 * @param stepName the step's name, unique in this workflow
		 * @param inputType the type the input is converted to
		 * @param function the step's code
		 * @param options the exits the step may take ({@link PathHint}s; none: always the next step; a
		 * lambda can always return, so {@link PathHint#next()} is added to any hints given), its
		 * {@link RetryPolicy} and its {@linkplain StepOption#timeout(Duration) timeout}
		 * @return this builder
		 */
		public <I> Builder step(String stepName, Class<I> inputType, StepFunction<I> function,
				StepOption... options) {
			Objects.requireNonNull(inputType, "inputType");
			Objects.requireNonNull(function, "function");
			return add(stepName, new StepBody.Function(inputType, function), options);
		}

		/**
		 * Adds a step that reads its input, context and dependencies from a {@link StepContext}.
		 * @param stepName the step's name, unique in this workflow
		 * @param handler the step's code
		 * @param options the exits the step may take ({@link PathHint}s; none: always the next step; a
		 * handler can always return, so {@link PathHint#next()} is added to any hints given), its
		 * {@link RetryPolicy} and its {@linkplain StepOption#timeout(Duration) timeout}
		 * @return this builder
		 */
		public Builder step(String stepName, StepHandler handler, StepOption... options) {
			Objects.requireNonNull(handler, "handler");
			return add(stepName, new StepBody.Handler(handler), options);
		}

		/**
		 * Sets the retry policy of the steps declared without one.
		 * @param policy the policy
		 * @return this builder
		 */
		public Builder retry(RetryPolicy policy) {
			this.retryPolicy = Objects.requireNonNull(policy, "policy");
			return this;
		}

		/**
		 * Sets the timeout of the steps declared without one.
		 * @param timeout more than zero
		 * @return this builder
		 */
		public Builder timeout(Duration timeout) {
			this.timeout = new StepOption.Timeout(timeout).duration();
			return this;
		}

		private Builder add(@Nullable String stepName, StepBody body, StepOption... options) {
			List<PathHint> hints = new ArrayList<>();
			RetryPolicy policy = null;
			Duration stepTimeout = null;
			for (StepOption option : options) {
				if (option instanceof PathHint hint) {
					hints.add(hint);
				}
				else if (option instanceof RetryPolicy retry) {
					policy = retry;
				}
				else {
					stepTimeout = ((StepOption.Timeout) Objects.requireNonNull(option, "a step option is null"))
						.duration();
				}
			}
			return add(stepName, hints, body, policy, stepTimeout);
		}

		Builder add(@Nullable String stepName, List<PathHint> hints, StepBody body, @Nullable RetryPolicy policy,
				@Nullable Duration timeout) {
			if (stepName == null || stepName.isBlank()) {
				throw new InvalidDefinitionException("Workflow \"" + this.name + "\": step " + (this.steps.size() + 1)
						+ " needs a name");
			}
			for (WorkflowStep step : this.steps) {
				if (step.name().equals(stepName)) {
					throw new InvalidDefinitionException("Workflow \"" + this.name + "\" has two steps named \""
							+ stepName + "\": step names must be unique within a workflow");
				}
			}
			this.steps.add(new WorkflowStep(stepName, withImplicitNext(hints, body), body, policy, timeout));
			return this;
		}

		/**
		 * As in the original Ergate, a step with hints that can return a value may also go on to the
		 * next step: {@code next} is added unless the step is a {@code void} method.
		 */
		private static List<PathHint> withImplicitNext(List<PathHint> hints, StepBody body) {
			if (hints.isEmpty() || hints.contains(PathHint.next()) || !canReturn(body)) {
				return hints;
			}
			List<PathHint> withNext = new ArrayList<>(hints);
			withNext.add(PathHint.next());
			return withNext;
		}

		private static boolean canReturn(StepBody body) {
			if (body instanceof StepBody.Invocation invocation) {
				Class<?> returnType = invocation.method().getReturnType();
				return returnType != void.class && returnType != Void.class;
			}
			return true;
		}

		/**
		 * Builds the workflow, checking its path hints.
		 * @return the workflow
		 * @throws InvalidDefinitionException when it has no step, or a hint names an unknown step or
		 * one that does not come later
		 */
		public Workflow build() {
			if (this.steps.isEmpty()) {
				throw new InvalidDefinitionException("Workflow \"" + this.name + "\" has no steps: add at least one");
			}
			Set<String> seen = new HashSet<>();
			for (WorkflowStep step : this.steps) {
				seen.add(step.name());
				for (PathHint hint : step.pathHints()) {
					String target = hint.target();
					if (target == null) {
						continue;
					}
					boolean known = this.steps.stream().anyMatch((s) -> s.name().equals(target));
					if (!known) {
						throw new InvalidDefinitionException("Workflow \"" + this.name + "\", step \"" + step.name()
								+ "\": path hint goTo(\"" + target + "\") names no step of this workflow (known: "
								+ this.steps.stream().map(WorkflowStep::name).collect(Collectors.joining(", ")) + ")");
					}
					if (seen.contains(target)) {
						throw new InvalidDefinitionException("Workflow \"" + this.name + "\", step \"" + step.name()
								+ "\": path hint goTo(\"" + target
								+ "\") points backwards: a step may only jump to a later step");
					}
				}
			}
			return new Workflow(this.name, this.steps, this.retryPolicy, this.timeout);
		}

	}

}
