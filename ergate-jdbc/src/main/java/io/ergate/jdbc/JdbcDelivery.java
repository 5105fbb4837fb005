package io.ergate.jdbc;

import java.time.Duration;

import io.ergate.Job;
import io.ergate.SettleOnceDelivery;
import io.ergate.StateStore;

/** A claimed row of the queue table: its id and the claim's delivery count fence every later write. */
final class JdbcDelivery extends SettleOnceDelivery {

	private final JdbcJobQueue queue;

	final long rowId;

	final int deliveryCount;

	final long claimedAtNanos;

	JdbcDelivery(JdbcJobQueue queue, long rowId, int deliveryCount, Job job, long claimedAtNanos) {
		super(job);
		this.queue = queue;
		this.rowId = rowId;
		this.deliveryCount = deliveryCount;
		this.claimedAtNanos = claimedAtNanos;
	}

	@Override
	public int deliveryCount() {
		return this.deliveryCount;
	}

	@Override
	protected void handOver(Job newState, StateStore stateStore) {
		this.queue.complete(this, newState, stateStore);
	}

	@Override
	protected void acknowledged() {
		this.queue.acknowledge(this);
	}

	@Override
	protected void released(Duration delay) {
		this.queue.release(this, false, delay.toMillis());
	}

	@Override
	protected boolean deadLettered(String reason) {
		try {
			return this.queue.deadLetter(this, reason);
		}
		catch (RuntimeException ex) {
			// the row is still claimed: the engine may give it back
			unsettle();
			throw ex;
		}
	}

	boolean isFinished() {
		return isSettled();
	}

	/** Marks this delivery settled without calling the queue: for deliveries the queue takes back. */
	boolean takeBack() {
		return settleQuietly();
	}

	@Override
	public String toString() {
		return "JdbcDelivery{row=" + this.rowId + ", deliveryCount=" + this.deliveryCount + ", job=" + job() + "}";
	}

}
