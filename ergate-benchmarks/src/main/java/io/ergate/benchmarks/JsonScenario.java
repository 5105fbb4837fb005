package io.ergate.benchmarks;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.LongAdder;

import io.ergate.memory.InMemoryStateStore;
import io.ergate.Job;
import io.ergate.JobQueue;
import io.ergate.JobStatus;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code json} scenario: the seed's own example queue, which serializes every job to JSON on put
 * and parses it on getOne, against a loop doing only those JSON round trips.
 */
final class JsonScenario {

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private JsonScenario() {
	}

	/** The seed's example queue, ported. */
	static final class SeedJsonQueue implements JobQueue {

		private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();

		@Override
		public Job getOne() throws InterruptedException {
			return mapper.readValue(this.queue.take(), Job.class);
		}

		@Override
		public void put(Job job) {
			this.queue.add(mapper.writeValueAsString(job));
		}

	}

	static double engine(int jobs, int steps, int concurrency) throws Exception {
		SeedJsonQueue queue = new SeedJsonQueue();
		Workloads.fill(queue, jobs);
		return Workloads.drain(queue, new InMemoryStateStore(), jobs, steps, concurrency);
	}

	/** Only the JSON round trips: one write and one read of a job in mid-flight per step. */
	static double baseline(int jobs, int steps, int concurrency) throws Exception {
		long total = (long) jobs * steps;
		LongAdder done = new LongAdder();
		Job sample = Job.builder(Workloads.WORKFLOW).id(12345).stepName("step_2").status(JobStatus.QUEUED)
			.stepsCompleted(1).percentCompleted(33.33).initialInputValue(12345).lastReturnValue(12346).build();
		long perThread = total / concurrency;
		List<Thread> threads = Throughput.threads(concurrency, () -> {
			Job job = sample;
			for (long i = 0; i < perThread; i++) {
				job = mapper.readValue(mapper.writeValueAsString(job), Job.class);
			}
			done.add(perThread);
		}, "json-baseline");
		long start = System.nanoTime();
		threads.forEach(Thread::start);
		for (Thread thread : threads) {
			thread.join();
		}
		long elapsed = System.nanoTime() - start;
		return (double) done.sum() / elapsed * 1e9;
	}

}
