package io.ergate.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.ergate.AbortJob;
import io.ergate.Context;
import io.ergate.Depends;
import io.ergate.ErgateWorkflow;
import io.ergate.Input;
import io.ergate.Step;
import io.ergate.Workflow;

/**
 * Workflows, beans and providers the tests share.
 */
final class TestWorkflows {

	private TestWorkflows() {
	}

	/** A builder-style workflow: step_1 adds one, step_2 records the thread and doubles. */
	static Workflow addThenDouble(List<String> threads) {
		return Workflow.builder("add_then_double").step("step_1", Integer.class, (in) -> in + 1)
			.step("step_2", Integer.class, (in) -> {
				threads.add(Thread.currentThread().getName() + (isVirtual(Thread.currentThread()) ? " (virtual)" : ""));
				return in * 2;
			})
			.build();
	}

	static boolean isVirtual(Thread thread) {
		try {
			return (Boolean) Thread.class.getMethod("isVirtual").invoke(thread);
		}
		catch (ReflectiveOperationException ex) {
			return false;
		}
	}

	/** A bean that steps and providers ask for by type. */
	static class Greeter {

		private final String greeting;

		Greeter(String greeting) {
			this.greeting = greeting;
		}

		String greet(String name) {
			return this.greeting + ", " + name;
		}

	}

	/** A provider that is a bean. */
	static class SuffixProvider {

		private final String suffix;

		SuffixProvider(String suffix) {
			this.suffix = suffix;
		}

		public String provide() {
			return this.suffix;
		}

	}

	/** A provider that is not a bean: created and autowired, it receives the Greeter bean. */
	public static class GreetingProvider {

		private final Greeter greeter;

		public GreetingProvider(Greeter greeter) {
			this.greeter = greeter;
		}

		public String provide(@Context Map<String, Object> context) {
			return this.greeter.greet(String.valueOf(context.get("name")));
		}

	}

	/** An annotated workflow with a bean parameter, a bean provider and an autowired provider. */
	@ErgateWorkflow("greeting")
	static class GreetingWorkflow {

		final Map<String, Integer> runs = new ConcurrentHashMap<>();

		@Step(order = 1, name = "greet")
		String greet(@Depends(GreetingProvider.class) String greeting, @Depends(SuffixProvider.class) String suffix) {
			this.runs.merge("greet", 1, Integer::sum);
			return greeting + suffix;
		}

		@Step(order = 2, name = "shout")
		String shout(@Input String text, Greeter greeter) {
			this.runs.merge("shout", 1, Integer::sum);
			return greeter.greet(text.toUpperCase());
		}

	}

	/** A workflow asking for a bean the tests do not declare. */
	@ErgateWorkflow("needs_missing_bean")
	static class NeedsMissingBeanWorkflow {

		@Step(order = 1)
		void run(Greeter greeter) {
		}

	}

	/** step_1 passes, step_2 fails or aborts as its input says. */
	static Workflow failOrAbort() {
		return Workflow.builder("fail_or_abort").step("step_1", String.class, (in) -> in)
			.step("step_2", String.class, (in) -> {
				if ("abort".equals(in)) {
					throw new AbortJob("asked to abort");
				}
				throw new IllegalStateException("asked to fail");
			})
			.build();
	}

	static List<Object> newEventList() {
		return new CopyOnWriteArrayList<>();
	}

}
