package io.ergate;

import java.util.List;

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
			}, goTo("p7"), end(), next())
			.step("p6", Integer.class, (in) -> 6)
			.step("p7", Integer.class, (in) -> 7)
			.build();
		List<Job> states = run(workflow, null);
		assertThat(states).extracting(Job::percentCompleted).containsExactly(16.67, 33.33, 50.0, 80.0, 100.0);
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

}
