package io.ergate.rabbitmq;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import io.ergate.Job;
import io.ergate.JobDelivery;
import io.ergate.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job delivered by RabbitMQ and not acknowledged yet. Completing it records the new state, puts
 * the successor with a publisher confirm and only then acknowledges the delivery.
 */
final class RabbitDelivery implements JobDelivery {

	private static final Logger logger = LoggerFactory.getLogger(RabbitDelivery.class);

	private final RabbitJobQueue queue;

	private final RawDelivery raw;

	private final Job job;

	private final int deliveryCount;

	private final AtomicBoolean settled = new AtomicBoolean();

	RabbitDelivery(RabbitJobQueue queue, RawDelivery raw, Job job, int deliveryCount) {
		this.queue = queue;
		this.raw = raw;
		this.job = job;
		this.deliveryCount = deliveryCount;
	}

	@Override
	public Job job() {
		return this.job;
	}

	@Override
	public int deliveryCount() {
		return this.deliveryCount;
	}

	@Override
	public void complete(Job newState, StateStore stateStore) {
		checkNotSettled();
		if (!this.raw.isCurrent()) {
			// the broker has requeued this job already: handing it on would run the next step twice
			settle();
			lost();
			return;
		}
		// when the store or the put fails, the delivery stays unsettled: the engine releases it
		stateStore.update(newState);
		if (!newState.status().isFinal()) {
			this.queue.put(newState);
		}
		settle();
		if (!this.raw.ack()) {
			lost();
		}
	}

	@Override
	public void acknowledge() {
		settle();
		if (!this.raw.ack()) {
			lost();
		}
	}

	@Override
	public void release() {
		settle();
		this.raw.requeue();
	}

	@Override
	public void releaseLater(Duration delay) {
		settle();
		if (!this.raw.isCurrent()) {
			return; // its channel was lost: the broker delivers it again
		}
		this.queue.republish(this.raw, this.job, delay.toMillis());
	}

	@Override
	public boolean deadLetter(String reason) {
		settle();
		this.queue.deadLetter(this.raw, reason);
		return true;
	}

	private void checkNotSettled() {
		if (this.settled.get()) {
			throw alreadySettled();
		}
	}

	private void settle() {
		if (!this.settled.compareAndSet(false, true)) {
			throw alreadySettled();
		}
	}

	private IllegalStateException alreadySettled() {
		return new IllegalStateException("The delivery of job " + this.job.id() + " (step " + this.job.stepName()
				+ ") was already completed, acknowledged or released");
	}

	private void lost() {
		logger.warn("The RabbitMQ channel that delivered job {} (step {}) was lost before its acknowledgement: the "
				+ "broker delivers that step again", this.job.id(), this.job.stepName());
	}

}
