package io.ergate.benchmarks;

import java.util.concurrent.atomic.LongAdder;

import io.ergate.Job;
import io.ergate.JobListener;
import io.ergate.JobQueue;
import io.ergate.JobStatus;
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
