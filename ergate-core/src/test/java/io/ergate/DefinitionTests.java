package io.ergate;

import io.ergate.memory.InMemoryJobQueue;
import io.ergate.memory.InMemoryStateStore;
import org.junit.jupiter.api.Test;

import static io.ergate.PathHint.goTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class DefinitionTests {

	private final Ergate ergate = new Ergate(new InMemoryJobQueue(), new InMemoryStateStore());

	@Test
	void duplicateStepNames() {
		assertThatExceptionOfType(InvalidDefinitionException.class)
			.isThrownBy(() -> Workflow.builder("wf").step("a", Integer.class, (in) -> in)
				.step("a", Integer.class, (in) -> in))
			.withMessage("Workflow \"wf\" has two steps named \"a\": step names must be unique within a workflow");
	}

	@Test
	void duplicateWorkflowNames() {
		this.ergate.registerWorkflow(Workflow.builder("wf").step("a", Integer.class, (in) -> in).build());
		assertThatExceptionOfType(InvalidDefinitionException.class)
			.isThrownBy(() -> this.ergate.registerWorkflow(
					Workflow.builder("wf").step("b", Integer.class, (in) -> in).build()))
			.withMessageContaining("\"wf\" is already registered");
	}

	@Test
	void unknownStepInAPathHint() {
		assertThatExceptionOfType(InvalidDefinitionException.class)
			.isThrownBy(() -> Workflow.builder("wf").step("a", Integer.class, (in) -> in, goTo("zzz"))
				.step("b", Integer.class, (in) -> in).build())
			.withMessageContaining("goTo(\"zzz\") names no step of this workflow (known: a, b)");
	}

	@Test
	void backwardPathHint() {
		assertThatExceptionOfType(InvalidDefinitionException.class)
			.isThrownBy(() -> Workflow.builder("wf").step("a", Integer.class, (in) -> in)
				.step("b", Integer.class, (in) -> in, goTo("a")).build())
			.withMessageContaining("points backwards");
	}

	@Test
	void emptyWorkflow() {
		assertThatExceptionOfType(InvalidDefinitionException.class)
			.isThrownBy(() -> Workflow.builder("wf").build())
			.withMessageContaining("has no steps");
	}

	@ErgateWorkflow("unresolvable")
	static class Unresolvable {

		@Step(order = 1)
		void only(StringBuilder builder) {
		}

	}

	@Test
	void parameterTheEngineCannotSupply() {
		assertThatExceptionOfType(InvalidDefinitionException.class)
			.isThrownBy(() -> this.ergate.registerWorkflow(Workflow.from(new Unresolvable())))
			.withMessageContaining("Workflow \"unresolvable\", step \"only\": parameter \"builder\"")
			.withMessageContaining("annotate it @Input, @Context or @Depends");
	}

	@ErgateWorkflow("same_order")
	static class SameOrder {

		@Step(order = 1)
		void a() {
		}

		@Step(order = 1)
		void b() {
		}

	}

	@Test
	void twoStepsWithOneOrder() {
		assertThatExceptionOfType(InvalidDefinitionException.class)
			.isThrownBy(() -> Workflow.from(new SameOrder()))
			.withMessageContaining("share @Step(order = 1)");
	}

	@Test
	void notAnnotated() {
		assertThatExceptionOfType(InvalidDefinitionException.class)
			.isThrownBy(() -> Workflow.from(new Object()))
			.withMessageContaining("is not annotated @ErgateWorkflow");
	}

	public static class NoProvide {

	}

	@ErgateWorkflow("bad_provider")
	static class BadProvider {

		@Step(order = 1)
		void only(@Depends(NoProvide.class) Object value) {
		}

	}

	@Test
	void providerWithoutProvideMethod() {
		assertThatExceptionOfType(InvalidDefinitionException.class)
			.isThrownBy(() -> this.ergate.registerWorkflow(Workflow.from(new BadProvider())))
			.withMessageContaining("needs exactly one public method named \"provide\"");
	}

	public static class CycleA {

		public String provide(@Depends(CycleB.class) String b) {
			return b;
		}

	}

	public static class CycleB {

		public String provide(@Depends(CycleA.class) String a) {
			return a;
		}

	}

	@ErgateWorkflow("cycle")
	static class Cycle {

		@Step(order = 1)
		void only(@Depends(CycleA.class) String value) {
		}

	}

	@Test
	void providerCycle() {
		assertThatExceptionOfType(InvalidDefinitionException.class)
			.isThrownBy(() -> this.ergate.registerWorkflow(Workflow.from(new Cycle())))
			.withMessageContaining("cycle: CycleA -> CycleB -> CycleA");
	}

	@ErgateWorkflow("hints")
	static class Hints {

		@Step(order = 1, goTo = "c", end = true, next = true)
		void a() {
		}

		@Step(order = 2, name = "b")
		void second() {
		}

		@Step(order = 3)
		void c() {
		}

	}

	@Test
	void annotatedPathHintsAndNames() {
		Workflow workflow = Workflow.from(new Hints());
		assertThat(workflow.steps()).extracting(WorkflowStep::name).containsExactly("a", "b", "c");
		assertThat(workflow.steps().get(0).pathHints()).containsExactly(PathHint.next(), goTo("c"), PathHint.end());
		assertThat(workflow.steps().get(1).pathHints()).isEmpty();
	}

}
