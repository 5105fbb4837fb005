package io.ergate.rabbitmq;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.ergate.memory.InMemoryStateStore;
import io.ergate.Job;
import io.ergate.JobQueue;
import io.ergate.QueryableStateStore;
import io.ergate.contract.JobQueueContract;
import io.ergate.contract.QueueBackend;
import org.junit.jupiter.api.Nested;
import tools.jackson.databind.json.JsonMapper;

import static org.awaitility.Awaitility.await;

/**
 * The shared queue contract on RabbitMQ, classic and quorum queues, with a fencing store (the
 * in-memory one; the JDBC store fences the same way).
 */
class RabbitQueueContractTests {

	@Nested
	class OnAClassicQueue extends JobQueueContract {

		@Override
		protected QueueBackend createBackend() {
			return new RabbitBackend(RabbitJobQueue.QueueType.CLASSIC);
		}

	}

	@Nested
	class OnAQuorumQueue extends JobQueueContract {

		@Override
		protected QueueBackend createBackend() {
			return new RabbitBackend(RabbitJobQueue.QueueType.QUORUM);
		}

	}

	/** A queue of its own on the test broker, and a store in memory. */
	static final class RabbitBackend implements QueueBackend {

		private final TestBroker broker = TestBroker.get();

		private final String queueName = TestBroker.uniqueQueue("contract");

		private final RabbitJobQueue queue;

		private final InMemoryStateStore store = new InMemoryStateStore();

		private final List<String> deadLetters = new ArrayList<>();

		RabbitBackend(RabbitJobQueue.QueueType type) {
			this.queue = RabbitJobQueue.builder(this.broker.connectionFactory())
				.queue(this.queueName)
				.queueType(type)
				.concurrency(2)
				.build();
			// declares the queues
			this.queue.put(Job.builder("warm_up").id("warm-up").status(io.ergate.JobStatus.COMPLETED).build());
			drainWarmUp();
		}

		private void drainWarmUp() {
			try (Connection connection = this.broker.connectionFactory().newConnection("ergate-test-contract");
					Channel channel = connection.createChannel()) {
				channel.basicGet(this.queueName, true);
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}

		@Override
		public JobQueue queue() {
			return this.queue;
		}

		@Override
		public QueryableStateStore store() {
			return this.store;
		}

		@Override
		public void putRaw(String payload) {
			try (Connection connection = this.broker.connectionFactory().newConnection("ergate-test-contract");
					Channel channel = connection.createChannel()) {
				channel.basicPublish("", this.queueName, new AMQP.BasicProperties.Builder().deliveryMode(2).build(),
						payload.getBytes(StandardCharsets.UTF_8));
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}

		@Override
		public synchronized List<String> deadLetterReasons() {
			try (Connection connection = this.broker.connectionFactory().newConnection("ergate-test-contract");
					Channel channel = connection.createChannel()) {
				GetResponse response;
				while ((response = channel.basicGet(this.queue.deadLetterQueueName(), true)) != null) {
					Map<String, Object> headers = response.getProps().getHeaders();
					this.deadLetters.add(String.valueOf(headers.get(RabbitJobQueue.DEAD_LETTER_REASON_HEADER)));
				}
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
			return List.copyOf(this.deadLetters);
		}

		/** Takes a message on a connection of its own and closes the connection without acknowledging it. */
		@Override
		public Job takeAndDie(Consumer<Job> beforeDying) throws Exception {
			try (Connection connection = this.broker.connectionFactory().newConnection("ergate-test-dying-worker")) {
				Channel channel = connection.createChannel();
				GetResponse response = await("a message to take in " + this.queueName).atMost(Duration.ofSeconds(2))
					.pollInterval(Duration.ofMillis(20))
					.until(() -> channel.basicGet(this.queueName, false), Objects::nonNull);
				Job job = JsonMapper.shared().readValue(response.getBody(), Job.class);
				beforeDying.accept(job);
				return job;
			}
		}

		@Override
		public void close() {
			this.queue.close();
			this.broker.deleteQueues(this.queueName);
		}

	}

}
