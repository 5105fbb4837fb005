package io.ergate.rabbitmq;

import java.util.concurrent.atomic.AtomicLong;

import com.rabbitmq.client.AMQP;
import io.ergate.Job;
import io.ergate.JobDecoder;
import io.ergate.PoisonJobException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides where each delivered message goes: to a worker as a {@link RabbitDelivery}, or elsewhere
 * first: poison and jobs delivered too often to the dead-letter queue, a job without an id back with
 * one, an early job to {@link DelayQueues}. A message that cannot be moved is requeued.
 */
final class DeliveryRouter {

	private static final Logger logger = LoggerFactory.getLogger(DeliveryRouter.class);

	private final RabbitJobQueue queue;

	private final Topology topology;

	private final JobMessages messages;

	private final JobDecoder decoder;

	private final int maxDeliveries;

	private final Publisher publisher;

	private final DelayQueues delays;

	private final AtomicLong redeliveries = new AtomicLong();

	private final AtomicLong deadLettered = new AtomicLong();

	/**
	 * @param queue the queue the deliveries settle through
	 * @param maxDeliveries the deliveries of one job state before it is dead-lettered, 0 for no limit
	 */
	DeliveryRouter(RabbitJobQueue queue, Topology topology, JobMessages messages, JobDecoder decoder,
			int maxDeliveries, Publisher publisher, DelayQueues delays) {
		this.queue = queue;
		this.topology = topology;
		this.messages = messages;
		this.decoder = decoder;
		this.maxDeliveries = maxDeliveries;
		this.publisher = publisher;
		this.delays = delays;
	}

	/**
	 * @return the delivery for a worker, or {@code null} when the message was moved elsewhere
	 * @throws RabbitJobQueueException when it could not be moved (it was requeued)
	 */
	@Nullable RabbitDelivery accept(RawDelivery raw) {
		int deliveryCount = JobMessages.deliveryCount(raw);
		JobDecoder.Decoded decoded;
		try {
			decoded = this.decoder.decode(raw.body(), null);
		}
		catch (PoisonJobException ex) {
			deadLetter(raw, ex.getMessage());
			return null;
		}
		Job job = decoded.job();
		if (decoded.idAssigned()) {
			// no id: republish it with the one it was given, so that every redelivery keeps that id
			republish(raw, job, 0);
			return null;
		}
		if (this.maxDeliveries > 0 && deliveryCount > this.maxDeliveries) {
			deadLetter(raw, "Delivered " + deliveryCount + " times without completing (max-deliveries "
					+ this.maxDeliveries + "): job " + job.id() + ", workflow " + job.workflowName() + ", step "
					+ job.stepName());
			return null;
		}
		if (this.delays.keepsEarly(raw, job)) {
			return null;
		}
		if (raw.redelivered()) {
			this.redeliveries.incrementAndGet();
		}
		return new RabbitDelivery(this.queue, raw, job, deliveryCount);
	}

	/**
	 * Puts a delivered message's job again, at the back of the queue or after a delay, counting this
	 * delivery in a header, then acknowledges the delivery: a failed job waits behind the others.
	 */
	void republish(RawDelivery raw, Job job, long delayMs) {
		AMQP.BasicProperties properties = this.messages.republished(raw, job);
		byte[] body = this.messages.body(job);
		raw.replaceWith(() -> this.delays.publishAfter(properties, body, delayMs));
	}

	/** Moves a delivered message, as it is, to the dead-letter queue with the reason, then acknowledges it. */
	void deadLetter(RawDelivery raw, String reason) {
		AMQP.BasicProperties properties = this.messages.deadLettered(raw, reason);
		try {
			raw.replaceWith(() -> this.publisher.publish(this.topology.deadLetterQueue(), properties, raw.body()));
		}
		catch (RuntimeException ex) {
			throw new RabbitJobQueueException("Could not move a poison message (" + reason + ") to the dead-letter "
					+ "queue \"" + this.topology.deadLetterQueue() + "\"; it was requeued", ex);
		}
		this.deadLettered.incrementAndGet();
		logger.warn("Moved a message from \"{}\" to the dead-letter queue \"{}\": {}", this.topology.queue(),
				this.topology.deadLetterQueue(), reason);
	}

	/** @return the jobs given to a worker that the broker had delivered before */
	long redeliveries() {
		return this.redeliveries.get();
	}

	/** @return the messages moved to the dead-letter queue */
	long deadLettered() {
		return this.deadLettered.get();
	}

}
