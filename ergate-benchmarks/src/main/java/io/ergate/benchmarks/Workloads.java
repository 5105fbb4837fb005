package io.ergate.benchmarks;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.ergate.Ergate;
import io.ergate.Job;
import io.ergate.JobListener;
import io.ergate.JobQueue;
import io.ergate.JobStatus;
import io.ergate.StateStore;
import io.ergate.StepResult;
import io.ergate.Workflow;

/**
 * The benchmark workload: a workflow of int to int steps, and the jobs that run it.
 */
final class Workloads {

	static final String WORKFLOW = "bench";

	private Workloads() {
	}

	static Workflow workflow(int steps) {
		Workflow.Builder builder = Workflow.builder(WORKFLOW);
		for (int i = 1; i <= steps; i++) {
			builder.step("step_" + i, Integer.class, (in) -> in + 1);
		}
		return builder.build();
	}

	static void fill(JobQueue queue, int jobs) {
		for (int i = 0; i < jobs; i++) {
			queue.put(Job.builder(WORKFLOW).id(i).initialInputValue(i).build());
		}
	}

	/**
	 * Runs the workload's jobs, already on the queue, through an engine with the given number of
	 * workers, and returns the steps run per second of wall time from the workers' start until the
	 * last job completed.
	 */
	static double drain(JobQueue queue, StateStore store, int jobs, int steps, int concurrency) throws Exception {
		return drain(queue, store, jobs, steps, concurrency, () -> {
		});
	}

	/**
	 * Drains, then runs {@code settle} before the clock stops: for a store that may still be writing
	 * when the last job's end is announced, the wait until every state is in it.
	 */
	static double drain(JobQueue queue, StateStore store, int jobs, int steps, int concurrency, Runnable settle)
			throws Exception {
		LongAdder finished = new LongAdder();
		Ergate ergate = Ergate.builder(queue, store).listener(counter(finished)).build();
		ergate.registerWorkflow(workflow(steps));
		long start = System.nanoTime();
		ergate.start(concurrency);
		Throughput.awaitCount(finished, jobs, TimeUnit.MINUTES.toNanos(10));
		settle.run();
		long elapsed = System.nanoTime() - start;
		ergate.stop(Duration.ofSeconds(30));
		return (double) jobs * steps / elapsed * 1e9;
	}

	/** Counts jobs that reach a final status. */
	static JobListener counter(LongAdder finished) {
		return new JobListener() {
			@Override
			public void onJobRunEnd(StepResult result) {
				if (result.job().status() == JobStatus.COMPLETED) {
					finished.increment();
				}
			}
		};
	}

}
