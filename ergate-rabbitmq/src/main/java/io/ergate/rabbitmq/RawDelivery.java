package io.ergate.rabbitmq;

import com.rabbitmq.client.AMQP;

/**
 * A message as the broker delivered it, before it is read as a job.
 */
record RawDelivery(JobConsumer consumer, int generation, long deliveryTag, boolean redelivered,
		AMQP.BasicProperties properties, byte[] body) {

	boolean isCurrent() {
		return this.consumer.isCurrent(this);
	}

	boolean ack() {
		return this.consumer.ack(this);
	}

	void requeue() {
		this.consumer.requeue(this);
	}

}
