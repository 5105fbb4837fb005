package io.ergate.memory;

import java.time.Instant;
import java.util.List;

import io.ergate.Ergate;
import io.ergate.Job;
import io.ergate.JobStatus;
import io.ergate.JobTransition;
import io.ergate.Workflow;
import org.junit.jupiter.api.Test;

import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link InMemoryStateStore} as a {@link io.ergate.JobHistory}: the first state and the latest ones.
 */
class InMemoryStateStoreHistoryTests {

	private static Job state(int stepsCompleted, JobStatus status, String step) {
		return Job.builder("wf").id("a").status(status).stepName(step).stepsCompleted(stepsCompleted)
			.percentCompleted(stepsCompleted * 10.0).build();
	}

	@Test
	void keepsEveryStateInOrderWithItsTime() {
		InMemoryStateStore store = new InMemoryStateStore(100_000, InMemoryStateStore.DEFAULT_HISTORY_PER_JOB);
		Instant before = Instant.now().minusMillis(1);
		store.update(state(0, JobStatus.QUEUED, "one"));
		store.updateIf(state(0, JobStatus.RUNNING, "one"), (recorded) -> true);
		store.update(state(1, JobStatus.COMPLETED, "two"));
		List<JobTransition> history = store.history("a");
		assertThat(history).extracting(JobTransition::status)
			.containsExactly(JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.COMPLETED);
		assertThat(history).extracting(JobTransition::stepName).containsExactly("one", "one", "two");
		assertThat(history.get(2).stepsCompleted()).isEqualTo(1);
		assertThat(history.get(2).percentCompleted()).isEqualTo(10.0);
		assertThat(history).allSatisfy((transition) -> assertThat(transition.time()).isAfter(before)
			.isBeforeOrEqualTo(Instant.now()));
		assertThat(store.history("unknown")).isEmpty();
	}

	@Test
	void keepsTheFirstStateAndTheLatestOnesUpToTheBound() {
		InMemoryStateStore store = new InMemoryStateStore(10, 4);
		for (int i = 0; i < 10; i++) {
			store.update(state(i, JobStatus.QUEUED, "s" + i));
		}
		assertThat(store.history("a")).extracting(JobTransition::stepName).containsExactly("s0", "s7", "s8", "s9");
		store.update(state(10, JobStatus.COMPLETED, "s10"));
		assertThat(store.history("a")).extracting(JobTransition::stepName).containsExactly("s0", "s8", "s9", "s10");
	}

	@Test
	void zeroKeepsNoHistory() {
		InMemoryStateStore store = new InMemoryStateStore(10, 0);
		store.update(state(0, JobStatus.QUEUED, "one"));
		assertThat(store.history("a")).isEmpty();
		assertThat(store.findById("a")).isPresent();
		assertThatIllegalArgumentException().isThrownBy(() -> new InMemoryStateStore(10, -1))
			.withMessageContaining("historyPerJob");
	}

	@Test
	void theEngineRecordsEachStepOfAJob() throws Exception {
		InMemoryStateStore store = new InMemoryStateStore(100_000, InMemoryStateStore.DEFAULT_HISTORY_PER_JOB);
		Object id;
		try (Ergate ergate = new Ergate(new InMemoryJobQueue(), store)) {
			ergate.registerWorkflow(Workflow.builder("two_steps")
				.step("first", Integer.class, (in) -> in + 1)
				.step("second", Integer.class, (in) -> in * 2)
				.build());
			id = ergate.submit("two_steps", 1, null).id();
			ergate.start(1);
			await()
				.until(() -> store.findById(id).map(Job::status).orElse(null) == JobStatus.COMPLETED);
		}
		assertThat(store.history(id)).extracting(JobTransition::status, JobTransition::stepName)
			.containsExactly(tuple(JobStatus.QUEUED, null),
					tuple(JobStatus.RUNNING, "first"),
					tuple(JobStatus.QUEUED, "second"),
					tuple(JobStatus.RUNNING, "second"),
					tuple(JobStatus.COMPLETED, "second"));
	}

}
