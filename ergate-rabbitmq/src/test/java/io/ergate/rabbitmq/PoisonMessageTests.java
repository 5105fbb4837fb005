package io.ergate.rabbitmq;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import com.rabbitmq.client.GetResponse;
import io.ergate.Ergate;
import io.ergate.memory.InMemoryStateStore;
import io.ergate.Job;
import io.ergate.JobDelivery;
import io.ergate.JobStatus;
import io.ergate.WorkerStatus;
import io.ergate.Workflow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Messages that are not jobs end in the dead-letter queue with their reason, once, and the worker
 * goes on with the next job.
 */
class PoisonMessageTests {

	private final TestBroker broker = TestBroker.get();

	private final String queueName = TestBroker.uniqueQueue("poison");

	@AfterEach
	void cleanUp() {
		this.broker.deleteQueues(this.queueName);
	}

	@Test
	void poisonMessagesOfSeveralKindsEndInTheDeadLetterQueueWithTheirReasonAndTheWorkerStaysUp() throws Exception {
		Map<String, String> poison = Map.of( //
				"not json at all", "Not a JSON job", //
				"", "Not a JSON job", //
				"null", "JSON null", //
				"[1, 2, 3]", "must be a JSON object", //
				"{}", "workflow_name", //
				"{\"workflow_name\": \"w\", \"status\": \"BOGUS\", \"steps_completed\": -1}", "status");
		InMemoryStateStore store = new InMemoryStateStore();
		try (RabbitJobQueue queue = RabbitJobQueue.builder(this.broker.connectionFactory())
			.queue(this.queueName)
			.build()) {
			Ergate worker = new Ergate(queue, store);
			worker.registerWorkflow(Workflow.builder("w").step("one", Integer.class, (in) -> 1).build());
			worker.start(2);
			for (String body : poison.keySet()) {
				this.broker.publishRaw(this.queueName, body.getBytes(StandardCharsets.UTF_8));
			}
			// a job as the seed's Python snippets write it, after the poison
			this.broker.publishRaw(this.queueName,
					"{\"workflow_name\": \"w\", \"id\": \"valid-1\"}".getBytes(StandardCharsets.UTF_8));
			await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20))
				.until(() -> queue.deadLettered() >= poison.size()
						&& store.findById("valid-1").map(Job::status).orElse(null) == JobStatus.COMPLETED);
			assertThat(store.findById("valid-1")).get().extracting(Job::status).isEqualTo(JobStatus.COMPLETED);
			assertThat(queue.deadLettered()).isEqualTo(poison.size());
			WorkerStatus status = worker.status();
			assertThat(status.state()).isEqualTo(WorkerStatus.State.RUNNING);
			assertThat(status.workers()).isEqualTo(2);
			assertThat(worker.stop(Duration.ofSeconds(10))).isTrue();
		}
		List<GetResponse> deadLetters = this.broker.drain(this.queueName + ".dlq");
		assertThat(deadLetters).hasSize(poison.size());
		for (GetResponse message : deadLetters) {
			String body = new String(message.getBody(), StandardCharsets.UTF_8);
			Map<String, Object> headers = message.getProps().getHeaders();
			String reason = String.valueOf(headers.get(RabbitJobQueue.DEAD_LETTER_REASON_HEADER));
			System.out.printf("[ergate-rabbitmq] dead-lettered %-70s -> %s%n", "'" + body + "'", reason);
			assertThat(poison).containsKey(body);
			assertThat(reason).contains(poison.get(body));
			assertThat(String.valueOf(headers.get(RabbitJobQueue.ORIGINAL_QUEUE_HEADER))).isEqualTo(this.queueName);
		}
		assertThat(this.broker.messageCount(this.queueName)).isZero();
	}

	@Test
	void aJobDeliveredMoreThanMaxDeliveriesTimesGoesToTheDeadLetterQueue() throws Exception {
		try (RabbitJobQueue queue = RabbitJobQueue.builder(this.broker.connectionFactory())
			.queue(this.queueName)
			.queueType(RabbitJobQueue.QueueType.QUORUM)
			.maxDeliveries(2)
			.build()) {
			queue.put(Job.builder("w").id("keeps-failing").build());
			JobDelivery first = queue.take();
			assertThat(first.deliveryCount()).isEqualTo(1);
			first.release();
			JobDelivery second = queue.take();
			assertThat(second.job().id()).isEqualTo("keeps-failing");
			assertThat(second.deliveryCount()).isEqualTo(2);
			second.release();
			AtomicReference<Object> third = new AtomicReference<>();
			Thread taker = new Thread(() -> {
				try {
					third.set(queue.take());
				}
				catch (InterruptedException ex) {
					third.set(ex);
				}
			});
			taker.start();
			await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
				.until(() -> queue.deadLettered() >= 1);
			taker.interrupt();
			taker.join(5000);
			assertThat(third.get()).as("take() returned no job and was interrupted").isInstanceOf(InterruptedException.class);
		}
		List<GetResponse> deadLetters = this.broker.drain(this.queueName + ".dlq");
		assertThat(deadLetters).hasSize(1);
		assertThat(String.valueOf(deadLetters.get(0).getProps().getHeaders().get(RabbitJobQueue.DEAD_LETTER_REASON_HEADER)))
			.contains("Delivered 3 times").contains("keeps-failing");
		assertThat(this.broker.messageCount(this.queueName)).isZero();
	}


	@Test
	void aJobOfAnUnknownWorkflowIsGivenBackOnceThenDeadLetteredWithItsReason() throws Exception {
		InMemoryStateStore store = new InMemoryStateStore();
		try (RabbitJobQueue queue = RabbitJobQueue.builder(this.broker.connectionFactory())
			.queue(this.queueName)
			.build()) {
			Ergate worker = new Ergate(queue, store);
			worker.registerWorkflow(Workflow.builder("w").step("one", Integer.class, (in) -> 1).build());
			worker.start(2);
			this.broker.publishRaw(this.queueName,
					"{\"workflow_name\": \"retired\", \"id\": \"orphan\"}".getBytes(StandardCharsets.UTF_8));
			queue.put(Job.builder("w").id("fine").build());
			await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20))
				.until(() -> queue.deadLettered() >= 1
						&& store.findById("fine").map(Job::status).orElse(null) == JobStatus.COMPLETED);
			assertThat(worker.stop(Duration.ofSeconds(10))).isTrue();
			assertThat(store.findById("fine")).get().extracting(Job::status).isEqualTo(JobStatus.COMPLETED);
			assertThat(store.findById("orphan")).get().extracting(Job::status).isEqualTo(JobStatus.FAILED);
		}
		List<GetResponse> deadLetters = this.broker.drain(this.queueName + ".dlq");
		assertThat(deadLetters).hasSize(1);
		assertThat(new String(deadLetters.get(0).getBody(), StandardCharsets.UTF_8)).contains("orphan");
		assertThat(String.valueOf(deadLetters.get(0).getProps().getHeaders().get(RabbitJobQueue.DEAD_LETTER_REASON_HEADER)))
			.isEqualTo("No workflow named \"retired\" is registered (known: w)");
		assertThat(deadLetters.get(0).getEnvelope().isRedeliver()).isFalse();
		assertThat(this.broker.messageCount(this.queueName)).isZero();
	}

}
