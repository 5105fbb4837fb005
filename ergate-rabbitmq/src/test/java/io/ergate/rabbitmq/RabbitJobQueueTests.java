package io.ergate.rabbitmq;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.GetResponse;
import io.ergate.memory.InMemoryStateStore;
import io.ergate.Job;
import io.ergate.JobDelivery;
import io.ergate.JobStatus;
import io.ergate.StateStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The reliable-queue contract against the real broker.
 */
class RabbitJobQueueTests {

	private final TestBroker broker = TestBroker.get();

	private final String queueName = TestBroker.uniqueQueue("contract");

	@AfterEach
	void cleanUp() {
		this.broker.deleteQueues(this.queueName);
	}

	private RabbitJobQueue.Builder builder() {
		return RabbitJobQueue.builder(this.broker.connectionFactory()).queue(this.queueName);
	}

	@Test
	void settingsDefaultToAClassicQueueWithOneConsumerAndThePrefetchOfTheConcurrency() {
		RabbitJobQueue queue = builder().concurrency(6).build();
		try {
			assertThat(queue.queueName()).isEqualTo(this.queueName);
			assertThat(queue.deadLetterQueueName()).isEqualTo(this.queueName + ".dlq");
			assertThat(queue.queueType()).isEqualTo(RabbitJobQueue.QueueType.CLASSIC);
			assertThat(queue.prefetch()).isEqualTo(6);
			assertThat(queue.consumers()).isEqualTo(1);
			assertThat(queue.connectionState()).isEqualTo(RabbitJobQueue.ConnectionState.CONNECTED);
		}
		finally {
			queue.close();
		}
		assertThat(queue.connectionState()).isEqualTo(RabbitJobQueue.ConnectionState.CLOSED);
		assertThatThrownBy(() -> queue.put(Job.builder("w").build())).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("closed");
	}

	@Test
	void putStoresAPersistentJsonMessageInTheSeedFormat() {
		try (RabbitJobQueue queue = builder().build()) {
			queue.put(Job.builder("my_first_workflow").id("j1").initialInputValue(42).build());
		}
		List<GetResponse> messages = this.broker.drain(this.queueName);
		assertThat(messages).hasSize(1);
		assertThat(messages.get(0).getProps().getDeliveryMode()).isEqualTo(2);
		assertThat(messages.get(0).getProps().getContentType()).isEqualTo("application/json");
		assertThat(new String(messages.get(0).getBody(), StandardCharsets.UTF_8))
			.contains("\"workflow_name\":\"my_first_workflow\"")
			.contains("\"initial_input_value\":42");
	}

	@ParameterizedTest
	@EnumSource(RabbitJobQueue.QueueType.class)
	void aJobTakenAndCompletedIsReplacedByItsSuccessorAndAcknowledged(RabbitJobQueue.QueueType type) throws Exception {
		InMemoryStateStore store = new InMemoryStateStore();
		try (RabbitJobQueue queue = builder().queueType(type).build()) {
			Job job = Job.builder("w").id("j1").stepName("one").build();
			queue.put(job);
			JobDelivery delivery = queue.take();
			assertThat(delivery.job()).isEqualTo(job);
			assertThat(delivery.deliveryCount()).isEqualTo(1);
			Job next = Job.builder("w").id("j1").stepName("two").stepsCompleted(1).build();
			delivery.complete(next, store);
			assertThat(store.findById("j1")).contains(next);
			JobDelivery second = queue.take();
			assertThat(second.job()).isEqualTo(next);
			Job done = next.toBuilder().status(JobStatus.COMPLETED).build();
			second.complete(done, store);
			assertThat(store.findById("j1")).contains(done);
		}
		assertThat(this.broker.messageCount(this.queueName)).as("final state: nothing left").isZero();
	}

	@Test
	void aWorkerThatDiesMidStepLeavesTheJobOnTheQueueMarkedRedelivered() throws Exception {
		try (RabbitJobQueue queue = builder().build()) {
			queue.put(Job.builder("w").id("j1").build());
			JobDelivery delivery = queue.take();
			assertThat(delivery.job().id()).isEqualTo("j1");
			// the worker dies: its connection goes away without an acknowledgement
		}
		try (RabbitJobQueue queue = builder().build()) {
			JobDelivery again = queue.take();
			assertThat(again.job().id()).isEqualTo("j1");
			assertThat(again.deliveryCount()).isEqualTo(2);
			assertThat(queue.redeliveries()).isEqualTo(1);
			again.acknowledge();
		}
		assertThat(this.broker.messageCount(this.queueName)).isZero();
	}

	@Test
	void aStoreFailureWhileCompletingLeavesTheJobUnacknowledged() throws Exception {
		StateStore failing = (job) -> {
			throw new IllegalStateException("store down");
		};
		try (RabbitJobQueue queue = builder().build()) {
			queue.put(Job.builder("w").id("j1").build());
			JobDelivery delivery = queue.take();
			assertThatThrownBy(() -> delivery.complete(Job.builder("w").id("j1").stepName("two").build(), failing))
				.hasMessage("store down");
			// as the engine does after a failed completion
			delivery.release();
			JobDelivery again = queue.take();
			assertThat(again.job().id()).isEqualTo("j1");
			assertThat(again.deliveryCount()).isEqualTo(2);
		}
		List<GetResponse> left = this.broker.drain(this.queueName);
		assertThat(left).hasSize(1);
		assertThat(new String(left.get(0).getBody(), StandardCharsets.UTF_8)).doesNotContain("two");
	}

	@Test
	void releaseGivesTheJobBackForAnotherDelivery() throws Exception {
		try (RabbitJobQueue queue = builder().build()) {
			queue.put(Job.builder("w").id("j1").build());
			queue.take().release();
			JobDelivery again = queue.take();
			assertThat(again.job().id()).isEqualTo("j1");
			assertThat(again.deliveryCount()).isEqualTo(2);
			again.acknowledge();
			assertThatThrownBy(again::acknowledge).isInstanceOf(IllegalStateException.class);
		}
		assertThat(this.broker.messageCount(this.queueName)).isZero();
	}

	@Test
	void takeBlocksUntilAJobArrivesAndIsInterruptible() throws Exception {
		try (RabbitJobQueue queue = builder().build()) {
			CompletableFuture<Object> taken = new CompletableFuture<>();
			Thread taker = new Thread(() -> {
				try {
					taken.complete(queue.take());
				}
				catch (Throwable ex) {
					taken.complete(ex);
				}
			});
			taker.start();
			await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(taken).isNotDone());
			taker.interrupt();
			assertThat(taken.get(5, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);

			CompletableFuture<JobDelivery> next = CompletableFuture.supplyAsync(() -> {
				try {
					return queue.take();
				}
				catch (InterruptedException ex) {
					throw new IllegalStateException(ex);
				}
			});
			Thread.sleep(100);
			queue.put(Job.builder("w").id("late").build());
			JobDelivery delivery = next.get(5, TimeUnit.SECONDS);
			assertThat(delivery.job().id()).isEqualTo("late");
			delivery.acknowledge();
		}
	}

	@Test
	void aDelayedJobIsNotTakenBeforeItsStartTime() throws Exception {
		try (RabbitJobQueue queue = builder().build()) {
			Instant due = Instant.now().plusMillis(700);
			queue.put(Job.builder("w").id("later").status(JobStatus.SCHEDULED).requestedStartTime(due).build());
			queue.put(Job.builder("w").id("now").build());
			JobDelivery first = queue.take();
			assertThat(first.job().id()).isEqualTo("now");
			first.acknowledge();
			JobDelivery second = queue.take();
			assertThat(Instant.now()).isAfterOrEqualTo(due);
			assertThat(second.job().id()).isEqualTo("later");
			second.acknowledge();
		}
	}

	@Test
	void depthCountsReadyAndDelayedJobs() throws Exception {
		try (RabbitJobQueue queue = builder().build()) {
			assertThat(queue.depth()).isZero();
			queue.put(Job.builder("w").id("now").build());
			queue.put(Job.builder("w").id("later").requestedStartTime(Instant.now().plusSeconds(60)).build());
			assertThat(queue.depth()).isEqualTo(2);
		}
	}

	@Test
	void aConsumerCancelledBecauseItsQueueWasDeletedConsumesAgain() throws Exception {
		try (RabbitJobQueue queue = builder().build()) {
			queue.put(Job.builder("w").id("before").build());
			queue.take().acknowledge();
			CompletableFuture<JobDelivery> next = CompletableFuture.supplyAsync(() -> {
				try {
					return queue.take();
				}
				catch (InterruptedException ex) {
					throw new IllegalStateException(ex);
				}
			});
			this.broker.deleteQueues(this.queueName); // the broker cancels the consumer
			await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
				.untilAsserted(() -> assertThat(this.broker.queueExists(this.queueName)).as("declared again").isTrue());
			queue.put(Job.builder("w").id("after").build());
			JobDelivery delivery = next.get(10, TimeUnit.SECONDS);
			assertThat(delivery.job().id()).isEqualTo("after");
			delivery.acknowledge();
			assertThat(queue.connectionState()).isEqualTo(RabbitJobQueue.ConnectionState.CONNECTED);
		}
	}

	@Test
	void putFailsWhenTheBrokerReturnsTheMessage() {
		try (RabbitJobQueue queue = builder().build()) {
			this.broker.deleteQueues(this.queueName);
			assertThatThrownBy(() -> queue.put(Job.builder("w").build())).isInstanceOf(RabbitJobQueueException.class)
				.hasMessageContaining("does not exist");
		}
	}

	@Test
	void withoutDeclarationAMissingQueueIsReportedOnStartup() {
		assertThatThrownBy(() -> builder().declare(false).build()).isInstanceOf(RabbitJobQueueException.class)
			.hasMessageContaining(this.queueName)
			.hasMessageContaining("declare");
	}

	@Test
	void aQueueDeclaredWithOtherArgumentsIsReportedOnStartup() {
		builder().build().close();
		assertThatThrownBy(() -> builder().queueType(RabbitJobQueue.QueueType.QUORUM).build())
			.isInstanceOf(RabbitJobQueueException.class)
			.hasMessageContaining("other arguments");
	}

	@Test
	void anUnreachableBrokerIsReportedWithItsAddress() {
		com.rabbitmq.client.ConnectionFactory factory = this.broker.connectionFactory();
		factory.setPort(1);
		assertThatThrownBy(() -> RabbitJobQueue.builder(factory).queue(this.queueName).build())
			.isInstanceOf(RabbitJobQueueException.class)
			.hasMessageContaining(":1");
	}

}
