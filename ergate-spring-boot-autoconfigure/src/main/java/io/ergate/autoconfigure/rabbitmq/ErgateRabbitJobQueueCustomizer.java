package io.ergate.autoconfigure.rabbitmq;

import io.ergate.rabbitmq.RabbitJobQueue;

/**
 * Callback to customize the auto-configured {@link RabbitJobQueue} beyond what the
 * {@code ergate.rabbitmq.*} properties cover. Beans of this type are applied in order, after the
 * properties.
 */
@FunctionalInterface
public interface ErgateRabbitJobQueueCustomizer {

	/**
	 * Customizes the queue's builder.
	 * @param builder the builder, configured from the properties
	 */
	void customize(RabbitJobQueue.Builder builder);

}
