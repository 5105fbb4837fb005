package io.ergate.jdbc;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import io.ergate.Job;
import io.ergate.JobDelivery;
import io.ergate.StateStore;

/** A claimed row of the queue table: its id and the claim's delivery count fence every later write. */
final class JdbcDelivery implements JobDelivery {

	private final JdbcJobQueue queue;

	final long rowId;

	final int deliveryCount;

	private final Job job;

	final long claimedAtNanos;

	private final AtomicBoolean finished = new AtomicBoolean();

	JdbcDelivery(JdbcJobQueue queue, long rowId, int deliveryCount, Job job, long claimedAtNanos) {
		this.queue = queue;
		this.rowId = rowId;
		this.deliveryCount = deliveryCount;
		this.job = job;
		this.claimedAtNanos = claimedAtNanos;
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
		finish("complete");
		try {
			this.queue.complete(this, newState, stateStore);
		}
		catch (RuntimeException ex) {
			// nothing was handed over: the delivery stays unsettled, for the engine to release
			this.finished.set(false);
			throw ex;
		}
	}

	@Override
	public void acknowledge() {
		finish("acknowledge");
		this.queue.acknowledge(this);
	}

	@Override
	public void release() {
		finish("release");
		this.queue.release(this, false);
	}

	@Override
	public void releaseLater(Duration delay) {
		finish("release");
		this.queue.release(this, false, delay.toMillis());
	}

	@Override
	public boolean deadLetter(String reason) {
		finish("dead-letter");
		try {
			return this.queue.deadLetter(this, reason);
		}
		catch (RuntimeException ex) {
			this.finished.set(false);
			throw ex;
		}
	}

	boolean isFinished() {
		return this.finished.get();
	}

	/** Marks this delivery finished without calling the queue: for deliveries the queue takes back. */
	boolean takeBack() {
		return this.finished.compareAndSet(false, true);
	}

	private void finish(String operation) {
		if (!this.finished.compareAndSet(false, true)) {
			throw new IllegalStateException("Cannot " + operation + " the delivery of job " + this.job.id()
					+ " (queue row " + this.rowId + "): it was already completed, acknowledged or released");
		}
	}

	@Override
	public String toString() {
		return "JdbcDelivery{row=" + this.rowId + ", deliveryCount=" + this.deliveryCount + ", job=" + this.job + "}";
	}

}
