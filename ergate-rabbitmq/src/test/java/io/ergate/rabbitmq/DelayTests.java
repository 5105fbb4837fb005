package io.ergate.rabbitmq;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.ergate.Ergate;
import io.ergate.memory.InMemoryStateStore;
import io.ergate.Job;
import io.ergate.JobStatus;
import io.ergate.Workflow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A job 2 s ahead waits on the broker (not in a worker's memory: the process that submitted it is
 * gone), is not run before its time and runs within 300 ms after it.
 */
class DelayTests {

	private final TestBroker broker = TestBroker.get();

	private final String queueName = TestBroker.uniqueQueue("delay");

	@AfterEach
	void cleanUp() {
		this.broker.deleteQueues(this.queueName);
	}

	@ParameterizedTest
	@EnumSource(RabbitJobQueue.QueueType.class)
	void aJobTwoSecondsAheadRunsNotBeforeAndWithin300MsAfterItsStartTime(RabbitJobQueue.QueueType type)
			throws Exception {
		CompletableFuture<Instant> ran = new CompletableFuture<>();
		Workflow workflow = Workflow.builder("later").step("only", (context) -> {
			ran.complete(Instant.now());
			return null;
		}).build();
		Instant due = Instant.now().plusSeconds(2);
		Job submitted;
		// the submitting process puts the job and goes away: the job waits on the broker
		try (RabbitJobQueue producer = RabbitJobQueue.builder(this.broker.connectionFactory())
			.queue(this.queueName)
			.queueType(type)
			.build()) {
			Ergate submitter = new Ergate(producer, new InMemoryStateStore());
			submitter.registerWorkflow(workflow);
			submitted = submitter.submit(Job.builder("later").id("delayed-1").requestedStartTime(due).build());
			assertThat(submitted.status()).isEqualTo(JobStatus.SCHEDULED);
		}
		assertThat(this.broker.messageCount(this.queueName)).as("nothing in the work queue before its time").isZero();
		InMemoryStateStore store = new InMemoryStateStore();
		try (RabbitJobQueue queue = RabbitJobQueue.builder(this.broker.connectionFactory())
			.queue(this.queueName)
			.queueType(type)
			.build()) {
			Ergate worker = new Ergate(queue, store);
			worker.registerWorkflow(workflow);
			worker.start(2);
			Instant runAt = ran.get(10, TimeUnit.SECONDS);
			long lateMs = Duration.between(due, runAt).toMillis();
			System.out.printf("[ergate-rabbitmq] %s: job due at %s ran %d ms after its start time (%d delay hops)%n",
					type, due, lateMs, queue.delayHops());
			assertThat(runAt).as("not run before its start time").isAfterOrEqualTo(due);
			assertThat(lateMs).as("ms late").isLessThanOrEqualTo(300);
			await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
				.untilAsserted(() -> assertThat(store.findById("delayed-1")).get()
					.extracting(Job::status)
					.isEqualTo(JobStatus.COMPLETED));
			assertThat(worker.stop(Duration.ofSeconds(10))).isTrue();
		}
		assertThat(this.broker.messageCount(this.queueName)).isZero();
	}

}
