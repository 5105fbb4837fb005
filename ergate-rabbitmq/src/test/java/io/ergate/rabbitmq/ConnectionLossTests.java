package io.ergate.rabbitmq;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
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
 * The broker force-closes the worker's connections in the middle of the work, twice, as a broker
 * restart would: the queue reports it for health checks, reconnects, and every job still completes.
 */
class ConnectionLossTests {

	private static final int JOBS = 400;

	private final TestBroker broker = TestBroker.get();

	private final String queueName = TestBroker.uniqueQueue("connloss");

	@AfterEach
	void cleanUp() {
		this.broker.deleteQueues(this.queueName);
	}

	@Test
	void forcedConnectionClosesAreSurvivedWithoutLosingAJob() throws Exception {
		String connectionName = "ergate-connloss-" + UUID.randomUUID().toString().substring(0, 8);
		Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
		AtomicInteger stepsRun = new AtomicInteger();
		Workflow.Builder builder = Workflow.builder("three_steps");
		for (int i = 1; i <= 3; i++) {
			String step = "step_" + i;
			builder.step(step, (context) -> {
				runs.computeIfAbsent(context.job().id() + "/" + step, (key) -> new AtomicInteger()).incrementAndGet();
				Thread.sleep(40);
				stepsRun.incrementAndGet();
				return null;
			});
		}
		Workflow workflow = builder.build();
		InMemoryStateStore store = new InMemoryStateStore();
		Set<RabbitJobQueue.ConnectionState> seen = ConcurrentHashMap.newKeySet();
		try (RabbitJobQueue queue = RabbitJobQueue.builder(this.broker.connectionFactory())
			.queue(this.queueName)
			.concurrency(4)
			.connectionName(connectionName)
			.recoveryBackoff(Duration.ofMillis(200), Duration.ofSeconds(2))
			.build()) {
			Ergate engine = Ergate.builder(queue, store).backoff(Duration.ofMillis(50), Duration.ofMillis(500)).build();
			engine.registerWorkflow(workflow);
			for (int j = 0; j < JOBS; j++) {
				engine.submit(Job.builder("three_steps").id("job-" + j).build());
			}
			Thread sampler = new Thread(() -> {
				while (!Thread.currentThread().isInterrupted()) {
					seen.add(queue.connectionState());
					try {
						Thread.sleep(2);
					}
					catch (InterruptedException ex) {
						return;
					}
				}
			});
			sampler.start();
			engine.start(4);
			int closed = 0;
			for (int round = 1; round <= 2; round++) {
				int threshold = round * JOBS / 3;
				waitUntil(() -> stepsRun.get() >= threshold, 60);
				int count = this.broker.forceCloseConnections(connectionName);
				assertThat(store.countByStatus().getOrDefault(JobStatus.COMPLETED, 0L))
					.as("jobs still running when the connections were closed").isLessThan(JOBS);
				assertThat(count).as("connections closed by the broker").isEqualTo(2);
				closed += count;
				waitUntil(() -> queue.connectionState() == RabbitJobQueue.ConnectionState.CONNECTED, 30);
			}
			waitUntil(() -> store.countByStatus().getOrDefault(JobStatus.COMPLETED, 0L) == JOBS, 120);
			sampler.interrupt();
			sampler.join();
			assertThat(engine.stop(Duration.ofSeconds(10))).isTrue();
			int rerun = runs.values().stream().mapToInt((count) -> count.get() - 1).sum();
			System.out.printf("[ergate-rabbitmq] %d forced connection closes survived: %d jobs completed, %d steps ran "
					+ "again, %d redeliveries seen, states seen %s%n", closed, JOBS, rerun, queue.redeliveries(), seen);
			assertThat(queue.redeliveries()).as("jobs in flight on the lost channel were delivered again").isPositive();
			assertThat(seen).contains(RabbitJobQueue.ConnectionState.RECOVERING, RabbitJobQueue.ConnectionState.CONNECTED);
		}
		for (int j = 0; j < JOBS; j++) {
			assertThat(store.findById("job-" + j)).get().extracting(Job::status).isEqualTo(JobStatus.COMPLETED);
			for (int i = 1; i <= 3; i++) {
				assertThat(runs).containsKey("job-" + j + "/step_" + i);
			}
		}
		assertThat(this.broker.messageCount(this.queueName)).isZero();
		assertThat(this.broker.messageCount(this.queueName + ".dlq")).isZero();
	}

	private static void waitUntil(Callable<Boolean> condition, int seconds) {
		await().atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(10)).until(condition);
	}

}
