package io.ergate.rabbitmq;

import java.time.Duration;

import io.ergate.Job;
import io.ergate.SettleOnceDelivery;
import io.ergate.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job delivered by RabbitMQ and not acknowledged yet. Completing it records the new state, puts
 * the successor with a publisher confirm and only then acknowledges the delivery.
 */
final class RabbitDelivery extends SettleOnceDelivery {

	private static final Logger logger = LoggerFactory.getLogger(RabbitDelivery.class);

	private final RabbitJobQueue queue;

	private final RawDelivery raw;

	private final int deliveryCount;

	RabbitDelivery(RabbitJobQueue queue, RawDelivery raw, Job job, int deliveryCount) {
		super(job);
		this.queue = queue;
		this.raw = raw;
		this.deliveryCount = deliveryCount;
	}

	@Override
	public int deliveryCount() {
		return this.deliveryCount;
	}

	@Override
	protected void handOver(Job newState, StateStore stateStore) {
		if (!this.raw.isCurrent()) {
			// the broker has requeued this job already: handing it on would run the next step twice
			lost();
			return;
		}
		// when the store or the put fails, the delivery stays unsettled: the engine releases it
		stateStore.update(newState);
		if (!newState.status().isFinal()) {
			this.queue.put(newState);
		}
		if (!this.raw.ack()) {
			lost();
		}
	}

	@Override
	protected void acknowledged() {
		if (!this.raw.ack()) {
			lost();
		}
	}

	@Override
	protected void released(Duration delay) {
		if (delay.isZero()) {
			this.raw.requeue();
		}
		else if (this.raw.isCurrent()) {
			this.queue.republish(this.raw, job(), delay.toMillis());
		}
		// else its channel was lost: the broker delivers it again
	}

	@Override
	protected boolean deadLettered(String reason) {
		this.queue.deadLetter(this.raw, reason);
		return true;
	}

	private void lost() {
		logger.warn("The RabbitMQ channel that delivered job {} (step {}) was lost before its acknowledgement: the "
				+ "broker delivers that step again", job().id(), job().stepName());
	}

}
