package io.ergate;

import java.util.List;

import io.ergate.memory.InMemoryJobQueue;
import org.junit.jupiter.api.Test;

import static io.ergate.PathHint.end;
import static io.ergate.PathHint.goTo;
import static io.ergate.PathHint.next;
import static org.assertj.core.api.Assertions.assertThat;

class ProgressTests {

	private final InMemoryJobQueue queue = new InMemoryJobQueue();

	private final RecordingStateStore store = new RecordingStateStore();

	private final Ergate ergate = new Ergate(this.queue, this.store);

	private List<Job> run(Workflow workflow, Object input) {
		this.ergate.registerWorkflow(workflow);
		Job job = this.ergate.submit(workflow.name(), input, null);
		Engine.runUntil(this.ergate, 1, () -> this.store.last(job.id()).status().isFinal());
		return this.store.afterSteps(job.id());
	}

	@Test
	void jumpsForwardAndEndsEarly() {
		Workflow workflow = Workflow.builder("jumps")
			.step("step_1", Integer.class, (in) -> 1)
			.step("step_2", Integer.class, (in) -> {
				throw new GoToStep("step_4");
			})
			.step("step_3", Integer.class, (in) -> 3)
			.step("step_4", Integer.class, (in) -> {
				throw new GoToStep("step_5");
			})
			.step("step_5", Integer.class, (in) -> {
				throw new GoToEnd();
			})
			.build();
		List<Job> states = run(workflow, null);
		assertThat(states).extracting(Job::percentCompleted).containsExactly(20.0, 40.0, 75.0, 100.0);
		assertThat(states).extracting(Job::stepsCompleted).containsExactly(1, 2, 3, 4);
		assertThat(states).extracting(Job::stepName).containsExactly("step_2", "step_4", "step_5", "step_5");
		Job last = states.get(3);
		assertThat(last.status()).isEqualTo(JobStatus.COMPLETED);
		assertThat(last.stepsCompleted()).isEqualTo(4);
	}

	@Test
	void pathHintsMakeProgressExact() {
		Workflow workflow = Workflow.from(new Hinted());
		assertThat(workflow.steps()).extracting(WorkflowStep::pathHints)
			.containsExactly(List.of(), List.of(goTo("p3")), List.of(end()), List.of(),
					List.of(goTo("p7"), end(), next()), List.of(), List.of());
		List<Job> states = run(workflow, null);
		assertThat(states).extracting(Job::percentCompleted).containsExactly(16.67, 33.33, 50.0, 80.0, 100.0);
		assertThat(states).extracting(Job::stepName).containsExactly("p2", "p3", "p4", "p7", "p7");
		assertThat(states.get(4).status()).isEqualTo(JobStatus.COMPLETED);
	}

	@Test
	void aStepWithHintsThatCanReturnAValueMayAlsoGoNextAsUpstream() {
		// p2, p5 and p4 declare no next(), but lambdas can return: next is implied, as for an
		// un-annotated Python step; the longest path is then p1 p2 p5 p3 p4 p6 p7, so 1/7 after p1.
		Workflow workflow = Workflow.builder("hinted")
			.step("p1", Integer.class, (in) -> 1)
			.step("p2", Integer.class, (in) -> {
				throw new GoToStep("p3", 2);
			}, goTo("p3"))
			.step("p5", Integer.class, (in) -> {
				throw new GoToEnd();
			}, end())
			.step("p3", Integer.class, (in) -> 3)
			.step("p4", Integer.class, (in) -> {
				if (in % 2 == 1) {
					throw new GoToStep("p7", 4);
				}
				if (in > 6) {
					throw new GoToEnd();
				}
				return 4;
			}, goTo("p7"), end())
			.step("p6", Integer.class, (in) -> 6)
			.step("p7", Integer.class, (in) -> 7)
			.build();
		assertThat(workflow.steps().get(1).pathHints()).containsExactly(goTo("p3"), next());
		assertThat(workflow.steps().get(4).pathHints()).containsExactly(goTo("p7"), end(), next());
		List<Job> states = run(workflow, null);
		assertThat(states).extracting(Job::percentCompleted).containsExactly(14.29, 33.33, 50.0, 80.0, 100.0);
		assertThat(states).extracting(Job::stepName).containsExactly("p2", "p3", "p4", "p7", "p7");
		Job last = states.get(4);
		assertThat(last.status()).isEqualTo(JobStatus.COMPLETED);
		assertThat(last.lastReturnValue()).isEqualTo(7);
		assertThat(last.stepsCompleted()).isEqualTo(5);
	}

	@Test
	void goToEndCountsItsStepAndCompletes() {
		Workflow workflow = Workflow.builder("early")
			.step("a", Integer.class, (in) -> in + 1)
			.step("b", Integer.class, (in) -> {
				throw new GoToEnd(in * 10);
			})
			.step("c", Integer.class, (in) -> in)
			.build();
		List<Job> states = run(workflow, 1);
		assertThat(states).extracting(Job::percentCompleted).containsExactly(33.33, 100.0);
		assertThat(states.get(1).status()).isEqualTo(JobStatus.COMPLETED);
		assertThat(states.get(1).stepsCompleted()).isEqualTo(2);
		assertThat(states.get(1).lastReturnValue()).isEqualTo(20);
	}

	@Test
	void abortKeepsProgressAndTheReason() {
		Workflow workflow = Workflow.builder("aborting")
			.step("a", Integer.class, (in) -> in)
			.step("b", Integer.class, (in) -> {
				throw new AbortJob("customer cancelled");
			})
			.step("c", Integer.class, (in) -> in)
			.build();
		List<Job> states = run(workflow, 5);
		Job last = states.get(1);
		assertThat(last.status()).isEqualTo(JobStatus.ABORTED);
		assertThat(last.stepName()).isEqualTo("b");
		assertThat(last.stepsCompleted()).isEqualTo(1);
		assertThat(last.percentCompleted()).isEqualTo(33.33);
		assertThat(last.exceptionTraceback()).isEqualTo("AbortJob: customer cancelled");
		assertThat(last.lastReturnValue()).isEqualTo(5);
	}

	@Test
	void failureKeepsProgressAndTheFullStackTrace() {
		Workflow workflow = Workflow.builder("failing")
			.step("a", Integer.class, (in) -> in)
			.step("b", Integer.class, (in) -> {
				throw new IllegalStateException("disk full");
			})
			.build();
		List<Job> states = run(workflow, 5);
		Job last = states.get(1);
		assertThat(last.status()).isEqualTo(JobStatus.FAILED);
		assertThat(last.stepName()).isEqualTo("b");
		assertThat(last.stepsCompleted()).isEqualTo(1);
		assertThat(last.percentCompleted()).isEqualTo(50.0);
		assertThat(last.exceptionTraceback()).startsWith("java.lang.IllegalStateException: disk full")
			.contains("\tat io.ergate.ProgressTests");
	}

	@Test
	void goingBackwardsFailsWithReverseGoToError() {
		Workflow workflow = Workflow.builder("backwards")
			.step("a", Integer.class, (in) -> in)
			.step("b", Integer.class, (in) -> {
				throw new GoToStep("a");
			})
			.build();
		List<Job> states = run(workflow, 5);
		Job last = states.get(1);
		assertThat(last.status()).isEqualTo(JobStatus.FAILED);
		assertThat(last.exceptionTraceback()).contains("ReverseGoToError").contains("\"b\"").contains("\"a\"");
		assertThat(last.percentCompleted()).isEqualTo(50.0);
	}

	@Test
	void percentNeverDecreasesAndIsHundredOnlyWhenCompleted() {
		// 'a' claims it can only end, then goes next: the estimate grows, the percentage must not drop.
		Workflow workflow = Workflow.builder("monotonic")
			.step("a", Integer.class, (in) -> in, end())
			.step("b", Integer.class, (in) -> {
				throw new GoToStep("d");
			})
			.step("c", Integer.class, (in) -> in)
			.step("d", Integer.class, (in) -> in)
			.step("e", Integer.class, (in) -> in)
			.build();
		List<Job> states = run(workflow, 1);
		assertThat(states).extracting(Job::percentCompleted).isSorted();
		for (Job state : states) {
			assertThat(state.percentCompleted() == 100.0).isEqualTo(state.status() == JobStatus.COMPLETED);
		}
		assertThat(states.get(states.size() - 1).status()).isEqualTo(JobStatus.COMPLETED);
	}

	/** The upstream documentation's example: void steps with hints take only the exits they declare. */
	@ErgateWorkflow("hinted_methods")
	static class Hinted {

		@Step(order = 1)
		int p1() {
			return 1;
		}

		@Step(order = 2, goTo = "p3")
		void p2() {
			throw new GoToStep("p3", 2);
		}

		@Step(order = 3, end = true)
		void p5() {
			throw new GoToEnd();
		}

		@Step(order = 4)
		int p3() {
			return 3;
		}

		@Step(order = 5, goTo = "p7", end = true)
		int p4(@Input int in) {
			if (in % 2 == 1) {
				throw new GoToStep("p7", 4);
			}
			if (in > 6) {
				throw new GoToEnd();
			}
			return 4;
		}

		@Step(order = 6)
		int p6() {
			return 6;
		}

		@Step(order = 7)
		int p7() {
			return 7;
		}

	}

}
