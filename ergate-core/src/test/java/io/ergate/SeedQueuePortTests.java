package io.ergate;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed's example queue and state store, ported: jobs travel through a queue as JSON, exactly as
 * {@code job.model_dump(mode="json")} and {@code Job(**serialized_job)} do.
 */
class SeedQueuePortTests {

	static final BlockingQueue<String> queue = new LinkedBlockingQueue<>();

	static final JsonMapper mapper = JsonMapper.builder().build();

	static class MyQueue implements JobQueue {

		@Override
		public Job getOne() throws InterruptedException {
			return mapper.readValue(queue.take(), Job.class);
		}

		@Override
		public void put(Job job) {
			queue.add(mapper.writeValueAsString(job));
		}

	}

	static class MyStateStore implements StateStore {

		final Map<Object, Job> latest = new ConcurrentHashMap<>();

		@Override
		public void update(Job job) {
			this.latest.put(job.id(), job);
		}

	}

	@Test
	void tenThousandJobsOfAThreeStepWorkflowOnFourThreads() {
		int jobs = 10_000;
		Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
		Workflow workflow = Workflow.builder("three_steps")
			.step("step_1", Integer.class, (in) -> count(runs, "1", in) + 1)
			.step("step_2", Integer.class, (in) -> count(runs, "2", in) * 2)
			.step("step_3", Integer.class, (in) -> count(runs, "3", in) - 1)
			.build();
		MyStateStore store = new MyStateStore();
		Ergate app = new Ergate(new MyQueue(), store);
		app.registerWorkflow(workflow);
		for (int i = 0; i < jobs; i++) {
			// the seed's "Solution 2": only the required data goes on the queue
			queue.add("{\"workflow_name\": \"three_steps\", \"id\": " + i + ", \"initial_input_value\": " + i + "}");
		}
		app.start(4);
		try {
			Engine.await(() -> store.latest.size() == jobs
					&& store.latest.values().stream().allMatch((job) -> job.status().isFinal()), Duration.ofSeconds(60));
		}
		finally {
			assertThat(app.stop(Duration.ofSeconds(10))).isTrue();
		}
		assertThat(store.latest.values()).allSatisfy((job) -> {
			assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
			int input = ((Number) job.id()).intValue();
			assertThat(job.lastReturnValue()).isEqualTo((input + 1) * 2 - 1);
			assertThat(job.stepsCompleted()).isEqualTo(3);
			assertThat(job.percentCompleted()).isEqualTo(100.0);
		});
		assertThat(runs).hasSize(3 * jobs);
		assertThat(runs.values()).allSatisfy((count) -> assertThat(count).hasValue(1));
		assertThat(queue).isEmpty();
	}

	@Test
	void aJobThatAPythonWorkerPutBackRunsTheStepItsStepsCompletedPoints() {
		Workflow workflow = Workflow.builder("three_steps")
			.step("step_1", Integer.class, (in) -> in + 1)
			.step("step_2", Integer.class, (in) -> in * 2)
			.step("step_3", Integer.class, (in) -> in - 1)
			.build();
		MyStateStore store = new MyStateStore();
		Ergate app = new Ergate(new MyQueue(), store);
		app.registerWorkflow(workflow);
		// what a Python Ergate 0.0 worker puts back after step_1: step_name None, status QUEUED (1)
		queue.add("{\"id\": \"py-1\", \"workflow_name\": \"three_steps\", \"step_name\": null, \"status\": 1, "
				+ "\"steps_completed\": 1, \"percent_completed\": 33.33, \"initial_input_value\": 20, "
				+ "\"last_return_value\": 21, \"exception_traceback\": null, \"user_context\": null, "
				+ "\"requested_start_time\": null}");
		// one with every step done but not final: nothing is left to run
		queue.add("{\"id\": \"py-2\", \"workflow_name\": \"three_steps\", \"status\": 1, \"steps_completed\": 3}");
		Engine.runUntil(app, 1, () -> store.latest.containsKey("py-1") && store.latest.get("py-1").status().isFinal()
				&& store.latest.containsKey("py-2") && store.latest.get("py-2").status().isFinal());
		Job done = store.latest.get("py-1");
		assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
		assertThat(done.lastReturnValue()).isEqualTo(41);
		assertThat(done.stepsCompleted()).isEqualTo(3);
		Job unrunnable = store.latest.get("py-2");
		assertThat(unrunnable.status()).isEqualTo(JobStatus.FAILED);
		assertThat(unrunnable.exceptionTraceback()).contains("has 3 steps", "steps_completed 3");
	}

	private static int count(Map<String, AtomicInteger> runs, String step, int input) {
		runs.computeIfAbsent(step + ":" + input, (key) -> new AtomicInteger()).incrementAndGet();
		return input;
	}

}
