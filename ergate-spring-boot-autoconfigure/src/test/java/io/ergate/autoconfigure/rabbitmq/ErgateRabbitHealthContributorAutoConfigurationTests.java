package io.ergate.autoconfigure.rabbitmq;

import java.util.UUID;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.ergate.autoconfigure.ErgateAutoConfiguration;
import io.ergate.rabbitmq.RabbitJobQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ErgateRabbitHealthContributorAutoConfiguration}, against the local RabbitMQ.
 */
class ErgateRabbitHealthContributorAutoConfigurationTests {

	private final String queue = "ergate-test-health-" + UUID.randomUUID().toString().substring(0, 8);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ErgateRabbitAutoConfiguration.class,
				ErgateRabbitHealthContributorAutoConfiguration.class, ErgateAutoConfiguration.class))
		.withPropertyValues("spring.rabbitmq.host=" + ErgateRabbitAutoConfigurationTests.HOST,
				"spring.rabbitmq.port=" + ErgateRabbitAutoConfigurationTests.PORT,
				"spring.rabbitmq.username=" + ErgateRabbitAutoConfigurationTests.USER,
				"spring.rabbitmq.password=" + ErgateRabbitAutoConfigurationTests.PASSWORD,
				"ergate.rabbitmq.queue=" + this.queue, "ergate.worker.enabled=false");

	@AfterEach
	void deleteQueues() throws Exception {
		try (Connection connection = ErgateRabbitAutoConfigurationTests.connectionFactory().newConnection();
				Channel channel = connection.createChannel()) {
			channel.queueDelete(this.queue);
			channel.queueDelete(this.queue + ".dlq");
		}
	}

	@Test
	void upWhileConnectedDownOnceClosed() {
		this.runner.run((context) -> {
			HealthIndicator indicator = context.getBean("ergateRabbitHealthIndicator", HealthIndicator.class);
			Health health = indicator.health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("queue", this.queue)
				.containsEntry("connection", RabbitJobQueue.ConnectionState.CONNECTED)
				.containsEntry("depth", 0L);
			context.getBean(RabbitJobQueue.class).close();
			assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
		});
	}

	@Test
	void offWhenDisabled() {
		this.runner.withPropertyValues("management.health.ergate-rabbitmq.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("ergateRabbitHealthIndicator"));
	}

	@Test
	void offWithoutHealthSupport() {
		this.runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("ergateRabbitHealthIndicator"));
	}

	@Test
	void offWithoutARabbitJobQueue() {
		this.runner.withPropertyValues("ergate.rabbitmq.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("ergateRabbitHealthIndicator"));
	}

}
