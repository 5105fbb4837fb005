package io.ergate.spring.rabbitmq;

import io.ergate.rabbitmq.RabbitJobQueue;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of Ergate's RabbitMQ job queue: up while its connections are open, down while they are
 * being re-established after a loss (and after the queue was closed), with the queue's figures as
 * details.
 */
public class ErgateRabbitHealthIndicator extends AbstractHealthIndicator {

	private final RabbitJobQueue queue;

	/**
	 * Creates an indicator for the given queue.
	 * @param queue the queue
	 */
	public ErgateRabbitHealthIndicator(RabbitJobQueue queue) {
		super("Ergate RabbitMQ job queue health check failed");
		this.queue = queue;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		RabbitJobQueue.ConnectionState state = this.queue.connectionState();
		if (state == RabbitJobQueue.ConnectionState.CONNECTED) {
			builder.up().withDetail("depth", this.queue.depth());
		}
		else {
			builder.down();
		}
		builder.withDetail("connection", state)
			.withDetail("queue", this.queue.queueName())
			.withDetail("deadLetterQueue", this.queue.deadLetterQueueName())
			.withDetail("redeliveries", this.queue.redeliveries())
			.withDetail("deadLettered", this.queue.deadLettered());
	}

}
