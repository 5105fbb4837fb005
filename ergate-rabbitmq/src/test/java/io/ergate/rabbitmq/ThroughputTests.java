package io.ergate.rabbitmq;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.ergate.Ergate;
import io.ergate.memory.InMemoryStateStore;
import io.ergate.Job;
import io.ergate.JobStatus;
import io.ergate.Workflow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * 5,000 jobs of a 5-step workflow through 4 consumers (4 engines, as 4 worker instances would be),
 * against the real broker: every job completes, every step runs exactly once, the queue ends empty.
 */
class ThroughputTests {

	private static final int JOBS = 5000;

	private static final int STEPS = 5;

	private static final int INSTANCES = 4;

	private final TestBroker broker = TestBroker.get();

	private final String queueName = TestBroker.uniqueQueue("throughput");

	private final List<RabbitJobQueue> queues = new ArrayList<>();

	@AfterEach
	void cleanUp() {
		this.queues.forEach(RabbitJobQueue::close);
		this.broker.deleteQueues(this.queueName);
	}

	@Test
	void fiveThousandJobsOfFiveStepsThroughFourConsumersRunEachStepExactlyOnce() throws Exception {
		Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
		Workflow counted = countingWorkflow(runs);
		InMemoryStateStore store = new InMemoryStateStore(JOBS * 2);
		List<Ergate> engines = new ArrayList<>();
		for (int i = 0; i < INSTANCES; i++) {
			RabbitJobQueue queue = RabbitJobQueue.builder(this.broker.connectionFactory())
				.queue(this.queueName)
				.concurrency(4)
				.connectionName("ergate-throughput-" + i)
				.build();
			this.queues.add(queue);
			Ergate engine = new Ergate(queue, store);
			engine.registerWorkflow(counted);
			engines.add(engine);
		}
		long started = System.nanoTime();
		ExecutorService submitters = Executors.newFixedThreadPool(8);
		List<Future<?>> submissions = new ArrayList<>();
		int perSubmitter = JOBS / 8;
		for (int s = 0; s < 8; s++) {
			int from = s * perSubmitter;
			Ergate engine = engines.get(s % INSTANCES);
			submissions.add(submitters.submit(() -> {
				for (int j = from; j < from + perSubmitter; j++) {
					engine.submit(Job.builder("five_steps").id("job-" + j).initialInputValue(0).build());
				}
			}));
		}
		engines.forEach((engine) -> engine.start(4));
		for (Future<?> submission : submissions) {
			submission.get(5, TimeUnit.MINUTES);
		}
		submitters.shutdown();
		long submitted = System.nanoTime();
		await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(100))
			.until(() -> store.countByStatus().getOrDefault(JobStatus.COMPLETED, 0L) >= JOBS);
		long finished = System.nanoTime();
		for (Ergate engine : engines) {
			assertThat(engine.stop(Duration.ofSeconds(30))).isTrue();
		}
		double seconds = (finished - started) / 1e9;
		System.out.printf("[ergate-rabbitmq] %d jobs x %d steps through %d consumers: %.1f s (submitting took %.1f s), "
				+ "%.0f jobs/s, %.0f steps/s%n", JOBS, STEPS, INSTANCES, seconds, (submitted - started) / 1e9,
				JOBS / seconds, JOBS * STEPS / seconds);

		assertThat(store.countByStatus()).containsEntry(JobStatus.COMPLETED, (long) JOBS);
		for (int j = 0; j < JOBS; j++) {
			Job job = store.findById("job-" + j).orElseThrow();
			assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
			assertThat(job.lastReturnValue()).isEqualTo(STEPS);
			for (int i = 1; i <= STEPS; i++) {
				AtomicInteger count = runs.get("job-" + j + "/step_" + i);
				assertThat(count).as("runs of step_%d of job-%d", i, j).isNotNull();
				assertThat(count.get()).as("runs of step_%d of job-%d", i, j).isEqualTo(1);
			}
		}
		assertThat(runs).hasSize(JOBS * STEPS);
		assertThat(this.queues.stream().mapToLong(RabbitJobQueue::redeliveries).sum()).isZero();
		this.queues.forEach(RabbitJobQueue::close);
		assertThat(this.broker.messageCount(this.queueName)).isZero();
		assertThat(this.broker.messageCount(this.queueName + ".dlq")).isZero();
	}

	static Workflow countingWorkflow(Map<String, AtomicInteger> runs) {
		Workflow.Builder builder = Workflow.builder("five_steps");
		for (int i = 1; i <= STEPS; i++) {
			String step = "step_" + i;
			builder.step(step, (context) -> {
				runs.computeIfAbsent(context.job().id() + "/" + step, (key) -> new AtomicInteger()).incrementAndGet();
				Integer in = context.input(Integer.class);
				return (in == null ? 0 : in) + 1;
			});
		}
		return builder.build();
	}

}
