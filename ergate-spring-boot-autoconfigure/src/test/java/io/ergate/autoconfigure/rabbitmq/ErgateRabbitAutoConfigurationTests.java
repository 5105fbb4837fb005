package io.ergate.autoconfigure.rabbitmq;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.ergate.Ergate;
import io.ergate.memory.InMemoryJobQueue;
import io.ergate.JobQueue;
import io.ergate.JobStatus;
import io.ergate.QueryableStateStore;
import io.ergate.Workflow;
import io.ergate.autoconfigure.ErgateAutoConfiguration;
import io.ergate.spring.health.ErgateHealthDetailsContributor;
import io.ergate.rabbitmq.RabbitJobQueue;
import io.ergate.rabbitmq.RabbitJobQueueException;
import io.ergate.spring.ErgateClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.boot.amqp.autoconfigure.ConnectionFactoryCustomizer;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.amqp.autoconfigure.RabbitProperties;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ErgateRabbitAutoConfiguration}, against a real RabbitMQ: the local service
 * ({@code ERGATE_RABBITMQ_HOST}/{@code _PORT}/{@code _USER}/{@code _PASSWORD}, default
 * 127.0.0.1:5672 guest/guest).
 */
class ErgateRabbitAutoConfigurationTests {

	static final String HOST = env("ERGATE_RABBITMQ_HOST", "127.0.0.1");

	static final int PORT = Integer.parseInt(env("ERGATE_RABBITMQ_PORT", "5672"));

	static final String USER = env("ERGATE_RABBITMQ_USER", "guest");

	static final String PASSWORD = env("ERGATE_RABBITMQ_PASSWORD", "guest");

	private final String queue = "ergate-test-boot-" + UUID.randomUUID().toString().substring(0, 8);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ErgateRabbitAutoConfiguration.class, ErgateAutoConfiguration.class))
		.withPropertyValues("spring.rabbitmq.host=" + HOST, "spring.rabbitmq.port=" + PORT,
				"spring.rabbitmq.username=" + USER, "spring.rabbitmq.password=" + PASSWORD,
				"ergate.rabbitmq.queue=" + this.queue, "ergate.worker.enabled=false");

	@BeforeAll
	static void brokerIsReachable() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(HOST, PORT), 1000);
		}
		catch (IOException ex) {
			throw new IllegalStateException("These tests need a real RabbitMQ and nothing listens on " + HOST + ":"
					+ PORT + ". Start one (e.g. `service rabbitmq-server start` or `docker run -p 5672:5672 "
					+ "rabbitmq:3`), or point ERGATE_RABBITMQ_HOST/_PORT/_USER/_PASSWORD at one.", ex);
		}
	}

	static com.rabbitmq.client.ConnectionFactory connectionFactory() {
		com.rabbitmq.client.ConnectionFactory factory = new com.rabbitmq.client.ConnectionFactory();
		factory.setHost(HOST);
		factory.setPort(PORT);
		factory.setUsername(USER);
		factory.setPassword(PASSWORD);
		return factory;
	}

	@AfterEach
	void deleteQueues() throws Exception {
		try (Connection connection = connectionFactory().newConnection(); Channel channel = connection.createChannel()) {
			channel.queueDelete(this.queue);
			channel.queueDelete(this.queue + ".dlq");
			channel.queueDelete("custom-dlq-" + this.queue);
		}
	}

	@Test
	void aRabbitJobQueueOnSpringRabbitmqSettingsIsErgatesQueue() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(RabbitJobQueue.class).doesNotHaveBean(InMemoryJobQueue.class);
			RabbitJobQueue queue = context.getBean(RabbitJobQueue.class);
			assertThat(context.getBean(Ergate.class).queue()).isSameAs(queue);
			assertThat(queue.queueName()).isEqualTo(this.queue);
			assertThat(queue.deadLetterQueueName()).isEqualTo(this.queue + ".dlq");
			assertThat(queue.queueType()).isEqualTo(RabbitJobQueue.QueueType.CLASSIC);
			assertThat(queue.prefetch()).as("prefetch follows ergate.worker.concurrency").isEqualTo(4);
			assertThat(queue.consumers()).isEqualTo(1);
			assertThat(queue.connectionState()).isEqualTo(RabbitJobQueue.ConnectionState.CONNECTED);
			assertThat(queue.depth()).as("the queue was declared").isZero();
		});
	}

	@Test
	@SuppressWarnings("unchecked")
	void theQueueAddsItsConnectionToTheErgateHealthDetails() throws Exception {
		this.runner.run((context) -> {
			Map<String, Object> details = new java.util.LinkedHashMap<>();
			context.getBean("ergateRabbitHealthDetails", ErgateHealthDetailsContributor.class).contributeDetails(details);
			Map<String, Object> rabbit = (Map<String, Object>) details.get("rabbitmq");
			assertThat(rabbit).containsEntry("connection", "CONNECTED").containsEntry("queue", this.queue)
				.containsEntry("queueType", "CLASSIC").containsEntry("deadLettered", 0L);
		});
	}

	@Test
	void theQueueWritesTheJobJsonOfTheErgateJsonProperties() {
		this.runner.run((context) -> assertThat(putAndRead(context.getBean(RabbitJobQueue.class)))
			.contains("\"status\":4,"));
		this.runner.withPropertyValues("ergate.json.status-format=name")
			.run((context) -> assertThat(putAndRead(context.getBean(RabbitJobQueue.class)))
				.contains("\"status\":\"SCHEDULED\","));
		this.runner.withPropertyValues("ergate.json.status-numbering=scheduled-first")
			.run((context) -> assertThat(putAndRead(context.getBean(RabbitJobQueue.class)))
				.contains("\"status\":1,"));
	}

	private String putAndRead(RabbitJobQueue queue) throws Exception {
		queue.put(io.ergate.Job.builder("any").status(io.ergate.JobStatus.SCHEDULED).build());
		try (Connection connection = connectionFactory().newConnection(); Channel channel = connection.createChannel()) {
			com.rabbitmq.client.GetResponse response = null;
			for (int i = 0; i < 100 && response == null; i++) {
				response = channel.basicGet(this.queue, true);
				if (response == null) {
					Thread.sleep(20);
				}
			}
			assertThat(response).as("the message put on " + this.queue).isNotNull();
			return new String(response.getBody(), java.nio.charset.StandardCharsets.UTF_8);
		}
	}

	@Test
	void propertiesConfigureTheQueue() {
		this.runner
			.withPropertyValues("ergate.rabbitmq.queue-type=quorum", "ergate.rabbitmq.dead-letter-queue=custom-dlq-"
					+ this.queue, "ergate.rabbitmq.prefetch=7", "ergate.rabbitmq.consumers=2",
					"ergate.worker.concurrency=3")
			.run((context) -> {
				RabbitJobQueue queue = context.getBean(RabbitJobQueue.class);
				assertThat(queue.queueType()).isEqualTo(RabbitJobQueue.QueueType.QUORUM);
				assertThat(queue.deadLetterQueueName()).isEqualTo("custom-dlq-" + this.queue);
				assertThat(queue.prefetch()).isEqualTo(7);
				assertThat(queue.consumers()).isEqualTo(2);
			});
	}

	@Test
	void prefetchDefaultsToTheWorkerConcurrency() {
		this.runner.withPropertyValues("ergate.worker.concurrency=3")
			.run((context) -> assertThat(context.getBean(RabbitJobQueue.class).prefetch()).isEqualTo(3));
	}

	@Test
	void withoutDeclarationAMissingQueueFailsTheStartupWithTheFix() {
		this.runner.withPropertyValues("ergate.rabbitmq.declare=false").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining(RabbitJobQueueException.class.getName())
				.hasStackTraceContaining("RabbitMQ queue \"" + this.queue + "\" does not exist")
				.hasStackTraceContaining("declare = true");
		});
	}

	@Test
	void jobsRunThroughRabbitMq() {
		this.runner.withPropertyValues("ergate.worker.enabled=true")
			.withBean(Workflow.class,
					() -> Workflow.builder("boot_rabbit").step("one", Integer.class, (in) -> in + 1).build())
			.run((context) -> {
				ErgateClient client = context.getBean(ErgateClient.class);
				String id = client.submit("boot_rabbit", 41, null);
				QueryableStateStore store = context.getBean(QueryableStateStore.class);
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(store.findById(id))
						.hasValueSatisfying((state) -> assertThat(state.status()).isEqualTo(JobStatus.COMPLETED)));
				assertThat(store.findById(id).get().lastReturnValue()).isEqualTo(42);
			});
	}

	@Test
	void reusesTheSpringAmqpConnectionFactoryOfTheContext() {
		this.runner.withUserConfiguration(UnreachableSpringConnectionFactory.class).run((context) -> {
			// spring.rabbitmq.port points at the broker, the context's connection factory does not
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("Could not connect to RabbitMQ at " + HOST + ":1");
		});
	}

	@Test
	void usesSpringBootsRabbitAutoConfiguration() {
		this.runner.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class))
			.withBean(ConnectionFactoryCustomizer.class, () -> (factory) -> factory.setPort(1))
			.run((context) -> {
				// Boot's connection factory, with its customizers, is the one the queue connects with
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).hasStackTraceContaining("Could not connect to RabbitMQ at " + HOST + ":1");
			});
		this.runner.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class)).run((context) -> {
			assertThat(context).hasSingleBean(CachingConnectionFactory.class).hasSingleBean(RabbitJobQueue.class);
			assertThat(context.getBean(RabbitJobQueue.class).connectionState())
				.isEqualTo(RabbitJobQueue.ConnectionState.CONNECTED);
		});
	}

	@Test
	void backsOffWhenTheApplicationDeclaresAJobQueue() {
		this.runner.withBean("myQueue", JobQueue.class, InMemoryJobQueue::new).run((context) -> {
			assertThat(context).doesNotHaveBean(RabbitJobQueue.class).hasSingleBean(JobQueue.class);
			assertThat(context.getBean(Ergate.class).queue()).isSameAs(context.getBean("myQueue"));
		});
	}

	@Test
	void backsOffWithoutErgateRabbitmqOnTheClasspath() {
		this.runner.withClassLoader(new FilteredClassLoader(RabbitJobQueue.class)).run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(RabbitJobQueue.class).hasSingleBean(InMemoryJobQueue.class);
		});
	}

	@Test
	void backsOffWithoutSpringBootsRabbitSupportOnTheClasspath() {
		this.runner.withClassLoader(new FilteredClassLoader(RabbitProperties.class)).run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(RabbitJobQueue.class).hasSingleBean(InMemoryJobQueue.class);
		});
	}

	@Test
	void backsOffWhenNoRabbitMqConnectionIsConfigured() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, ErgateRabbitAutoConfiguration.class,
					ErgateAutoConfiguration.class))
			.withPropertyValues("ergate.worker.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(CachingConnectionFactory.class)
				.doesNotHaveBean(RabbitJobQueue.class)
				.hasSingleBean(InMemoryJobQueue.class));
	}

	@Test
	void enabledExplicitlyItUsesSpringBootsDefaultConnection() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ErgateRabbitAutoConfiguration.class, ErgateAutoConfiguration.class))
			.withPropertyValues("ergate.rabbitmq.enabled=true", "ergate.rabbitmq.queue=" + this.queue,
					"ergate.worker.enabled=false")
			.run((context) -> {
				assertThat(context).hasSingleBean(RabbitJobQueue.class);
				assertThat(context.getBean(RabbitJobQueue.class).connectionState())
					.isEqualTo(RabbitJobQueue.ConnectionState.CONNECTED);
			});
	}

	@Test
	void aSpringAmqpConnectionFactoryOfTheApplicationCountsAsConfigured() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ErgateRabbitAutoConfiguration.class, ErgateAutoConfiguration.class))
			.withPropertyValues("ergate.rabbitmq.queue=" + this.queue, "ergate.worker.enabled=false")
			.withBean("myRabbit", CachingConnectionFactory.class, () -> {
				CachingConnectionFactory factory = new CachingConnectionFactory(HOST, PORT);
				factory.setUsername(USER);
				factory.setPassword(PASSWORD);
				return factory;
			})
			.run((context) -> assertThat(context).hasSingleBean(RabbitJobQueue.class));
	}

	@Test
	void backsOffWhenDisabled() {
		this.runner.withPropertyValues("ergate.rabbitmq.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(RabbitJobQueue.class).hasSingleBean(InMemoryJobQueue.class);
		});
	}

	@Test
	void customizersAreApplied() {
		this.runner.withBean(ErgateRabbitJobQueueCustomizer.class, () -> (builder) -> builder.prefetch(11))
			.run((context) -> assertThat(context.getBean(RabbitJobQueue.class).prefetch()).isEqualTo(11));
	}

	private static String env(String name, String fallback) {
		String value = System.getenv(name);
		return (value == null || value.isBlank()) ? fallback : value;
	}

	@Configuration(proxyBeanMethods = false)
	static class UnreachableSpringConnectionFactory {

		@Bean
		CachingConnectionFactory connectionFactory() {
			return new CachingConnectionFactory(HOST, 1);
		}

	}

}
