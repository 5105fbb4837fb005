package io.ergate;

/**
 * A job taken from a plain {@link JobQueue}: already gone from the queue, so completing it means
 * recording the new state and putting the successor, and releasing it means putting it back.
 */
final class PlainDelivery implements JobDelivery {

	private final JobQueue queue;

	private final Job job;

	PlainDelivery(JobQueue queue, Job job) {
		this.queue = queue;
		this.job = job;
	}

	@Override
	public Job job() {
		return this.job;
	}

	@Override
	public void complete(Job newState, StateStore stateStore) {
		stateStore.update(newState);
		if (!newState.status().isFinal()) {
			this.queue.put(newState);
		}
	}

	@Override
	public void acknowledge() {
	}

	@Override
	public void release() {
		this.queue.put(this.job);
	}

	@Override
	public boolean deadLetter(String reason) {
		if (this.queue instanceof InMemoryJobQueue memory) {
			memory.deadLetter(this.job, reason);
			return true;
		}
		return false;
	}

}
