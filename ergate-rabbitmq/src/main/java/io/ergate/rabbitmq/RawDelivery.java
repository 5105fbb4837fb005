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

	/**
	 * Publishes what takes this message's place (it republished, delayed or dead-lettered), then
	 * acknowledges this message; requeues it when the publishing fails, so that it is never lost.
	 * @throws RuntimeException what the publishing threw
	 */
	void replaceWith(Runnable publish) {
		try {
			publish.run();
		}
		catch (RuntimeException ex) {
			requeue();
			throw ex;
		}
		ack();
	}

}
