package io.ergate.benchmarks;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.ergate.memory.InMemoryJobQueue;
import io.ergate.memory.InMemoryStateStore;
import io.ergate.Job;
import io.ergate.JobQueue;
import io.ergate.JobStatus;
import io.ergate.StateStore;

/**
 * The {@code inmemory} scenario: the engine on the embedded in-memory queue and store, against the
 * same work written by hand on the same classes.
 */
final class InMemoryScenario {

	private static final String STOP = "stop";

	private InMemoryScenario() {
	}

	static double engine(int jobs, int steps, int concurrency) throws Exception {
		InMemoryJobQueue queue = new InMemoryJobQueue();
		Workloads.fill(queue, jobs);
		return Workloads.drain(queue, new InMemoryStateStore(), jobs, steps, concurrency);
	}

	/** The same work by hand: per step build the successor, two store calls, hand-off through the queue. */
	static double baseline(int jobs, int steps, int concurrency) throws Exception {
		InMemoryJobQueue queue = new InMemoryJobQueue();
		InMemoryStateStore store = new InMemoryStateStore();
		LongAdder finished = new LongAdder();
		Workloads.fill(queue, jobs);
		List<Thread> threads = Throughput.threads(concurrency, () -> handWritten(queue, store, steps, finished),
				"baseline");
		long start = System.nanoTime();
		threads.forEach(Thread::start);
		Throughput.awaitCount(finished, jobs, TimeUnit.MINUTES.toNanos(5));
		long elapsed = System.nanoTime() - start;
		for (int i = 0; i < concurrency; i++) {
			queue.put(Job.builder(STOP).build());
		}
		for (Thread thread : threads) {
			thread.join();
		}
		return (double) jobs * steps / elapsed * 1e9;
	}

	static void handWritten(JobQueue queue, StateStore store, int steps, LongAdder finished) {
		try {
			while (true) {
				Job job = queue.getOne();
				if (job.workflowName().equals(STOP)) {
					return;
				}
				int index = (job.stepName() == null) ? 0 : Integer.parseInt(job.stepName().substring(5)) - 1;
				Job running = job.toBuilder().status(JobStatus.RUNNING).stepName("step_" + (index + 1)).build();
				store.update(running);
				Object input = (job.stepsCompleted() == 0) ? job.initialInputValue() : job.lastReturnValue();
				int output = ((Integer) input) + 1;
				int done = job.stepsCompleted() + 1;
				boolean last = index == steps - 1;
				Job next = running.toBuilder().status(last ? JobStatus.COMPLETED : JobStatus.QUEUED)
					.stepName(last ? running.stepName() : "step_" + (index + 2)).stepsCompleted(done)
					.percentCompleted(last ? 100.0 : Math.round(10000.0 * done / steps) / 100.0)
					.lastReturnValue(output)
					.build();
				store.update(next);
				if (last) {
					finished.increment();
				}
				else {
					queue.put(next);
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
