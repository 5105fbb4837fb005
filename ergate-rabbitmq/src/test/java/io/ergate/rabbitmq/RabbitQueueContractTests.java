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
import io.ergate.contract.FailureHandlingContract;
import io.ergate.contract.JobQueueContract;
import io.ergate.jdbc.JdbcOptions;
import io.ergate.jdbc.JdbcSchema;
import io.ergate.jdbc.JdbcStateStore;
import io.ergate.contract.QueueBackend;
import org.junit.jupiter.api.Nested;
import org.postgresql.ds.PGSimpleDataSource;
import tools.jackson.databind.json.JsonMapper;

import static org.awaitility.Awaitility.await;

/**
 * The shared queue and failure-handling contracts on RabbitMQ, classic and quorum queues, with a
 * fencing store: the in-memory one, and for failure handling also the JDBC store on PostgreSQL.
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

	@Nested
	class FailuresOnAClassicQueue extends FailureHandlingContract {

		@Override
		protected QueueBackend createBackend() {
			return new RabbitBackend(RabbitJobQueue.QueueType.CLASSIC);
		}

	}

	@Nested
	class FailuresOnAQuorumQueue extends FailureHandlingContract {

		@Override
		protected QueueBackend createBackend() {
			return new RabbitBackend(RabbitJobQueue.QueueType.QUORUM);
		}

	}

	@Nested
	class FailuresOnAClassicQueueWithAJdbcStore extends FailureHandlingContract {

		@Override
		protected QueueBackend createBackend() {
			return new RabbitBackend(RabbitJobQueue.QueueType.CLASSIC, postgresStore());
		}

	}

	/** A JdbcStateStore on the local PostgreSQL (ERGATE_TEST_POSTGRES_URL), in tables of its own. */
	static JdbcStateStore postgresStore() {
		PGSimpleDataSource dataSource = new PGSimpleDataSource();
		dataSource.setUrl(env("ERGATE_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test"));
		dataSource.setUser(env("ERGATE_TEST_POSTGRES_USER", "postgres"));
		dataSource.setPassword(env("ERGATE_TEST_POSTGRES_PASSWORD", ""));
		JdbcOptions options = JdbcOptions.builder()
			.tablePrefix("t_rbf_" + Long.toHexString(System.nanoTime() & 0xffffffL) + "_")
			.build();
		JdbcSchema.initialize(dataSource, options);
		return new JdbcStateStore(dataSource, options);
	}

	private static String env(String name, String fallback) {
		String value = System.getenv(name);
		return (value != null && !value.isEmpty()) ? value : fallback;
	}

	/** A queue of its own on the test broker, and a store in memory (or the one given). */
	static final class RabbitBackend implements QueueBackend {

		private final TestBroker broker = TestBroker.get();

		private final String queueName = TestBroker.uniqueQueue("contract");

		private final RabbitJobQueue queue;

		private final QueryableStateStore store;

		private final List<String> deadLetters = new ArrayList<>();

		RabbitBackend(RabbitJobQueue.QueueType type) {
			this(type, new InMemoryStateStore());
		}

		RabbitBackend(RabbitJobQueue.QueueType type, QueryableStateStore store) {
			this.store = store;
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
		public void close() throws Exception {
			this.queue.close();
			this.broker.deleteQueues(this.queueName);
			if (this.store instanceof JdbcStateStore jdbc) {
				String prefix = jdbc.options().tablePrefix();
				try (java.sql.Connection connection = jdbc.dataSource().getConnection();
						java.sql.Statement statement = connection.createStatement()) {
					statement.execute("DROP TABLE IF EXISTS " + prefix + "job, " + prefix + "queue, " + prefix
							+ "dead_letter");
				}
			}
		}

	}

}
