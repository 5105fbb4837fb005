package io.ergate.rabbitmq;

import com.rabbitmq.client.AMQP;

/**
 * A message as the broker delivered it, before it is read as a job.
 */
record RawDelivery(JobConsumer consumer, int generation, long deliveryTag, boolean redelivered,
		AMQP.BasicProperties properties, byte[] body) {

	/** @return whether this is no message but the signal that a consumer was cancelled by the broker */
	boolean isCancellation() {
		return this.deliveryTag < 0;
	}

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
