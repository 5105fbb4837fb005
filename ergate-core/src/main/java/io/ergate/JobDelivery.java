package io.ergate;

import java.time.Duration;

/**
 * A job taken from a {@link ReliableJobQueue}, owned by the worker until it completes, acknowledges,
 * releases or dead-letters it. One of those settles the delivery, once; a {@code complete} that throws
 * leaves the delivery unsettled, and the engine then releases it.
 */
public interface JobDelivery {

	/**
	 * Returns the delivered job.
	 * @return the job
	 */
	Job job();

	/**
	 * Returns how many times this job has been delivered in its current state: 1 the first time, more
	 * when an earlier worker died or gave the job back before completing it.
	 * @return the delivery count, 1 or more
	 */
	default int deliveryCount() {
		return 1;
	}

	/**
	 * Records the job's new state in the store, puts it on the queue when its status is not final, and
	 * acknowledges this delivery. Where the queue and the store share one transactional resource, the
	 * three happen atomically; otherwise in that order, so a crash in between re-runs the step rather
	 * than losing the job.
	 * @param newState the job's state after its step (or {@link JobStatus#SCHEDULED} when it was
	 * taken too early)
	 * @param stateStore the store to record it in
	 */
	void complete(Job newState, StateStore stateStore);

	/**
	 * Acknowledges this delivery without handing the job on: the job leaves the queue.
	 */
	void acknowledge();

	/**
	 * Gives the job back untouched, to be delivered again (for example when the worker stops before
	 * running it).
	 */
	void release();

	/**
	 * Gives the job back after its handling failed (its state could not be recorded, or its
	 * successor not put), to be delivered again no sooner than after the delay and behind the jobs
	 * waiting now, so that a job that keeps failing never holds up the others. The default
	 * {@linkplain #release() releases} it at once.
	 * @param delay how long the job should wait before it is delivered again
	 */
	default void releaseLater(Duration delay) {
		release();
	}

	/**
	 * Moves the job out of the queue for good, to the queue's dead-letter place (a dead-letter queue
	 * or table) with the reason, where the queue has one. The engine does this with a job that names a
	 * workflow or step no worker knows, after it has been delivered
	 * {@linkplain Ergate.Builder#unknownWorkflowAttempts(int) a few times}; with a job that is already
	 * in a final status; and with a job whose handling failed
	 * {@linkplain Ergate.Builder#poisonAttempts(int) several times} while other jobs went through.
	 * @param reason why the job cannot run
	 * @return {@code true} when the job was dead-lettered; {@code false} (the default) when the queue
	 * has no such place, and the engine records the job as {@link JobStatus#FAILED} instead
	 */
	default boolean deadLetter(String reason) {
		return false;
	}

}
