package io.ergate;

import java.time.Duration;

import io.ergate.memory.InMemoryJobQueue;

/**
 * A job taken from a plain {@link JobQueue}: already gone from the queue, so completing it means
 * recording the new state and putting the successor, and releasing it means putting it back.
 */
final class PlainDelivery extends SettleOnceDelivery {

	private final JobQueue queue;

	PlainDelivery(JobQueue queue, Job job) {
		super(job);
		this.queue = queue;
	}

	@Override
	protected void handOver(Job newState, StateStore stateStore) {
		stateStore.update(newState);
		if (!newState.status().isFinal()) {
			this.queue.put(newState);
		}
	}

	@Override
	protected void acknowledged() {
	}

	@Override
	protected void released(Duration delay) {
		this.queue.put(job());
	}

	@Override
	protected boolean deadLettered(String reason) {
		if (this.queue instanceof InMemoryJobQueue memory) {
			memory.deadLetter(job(), reason);
			return true;
		}
		return false;
	}

}
