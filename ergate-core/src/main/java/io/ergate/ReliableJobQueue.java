package io.ergate;

import java.util.Optional;

/**
 * A {@link JobQueue} that keeps a job until its step has been handled: the contract durable queues
 * implement, and that the engine uses when a queue offers it.
 * <p>
 * The engine {@linkplain #take() takes} a {@link JobDelivery}, runs the step, and then
 * {@linkplain JobDelivery#complete(Job, StateStore) completes} the delivery with the job's new state:
 * the queue records that state in the store, puts the successor when the job is not final, and only
 * then acknowledges the delivery. If the worker dies at any point before that, the queue delivers the
 * job again, to this or another worker.
 * <p>
 * <b>Guarantee: at-least-once per step.</b> No job is lost, and every step runs at least once; a step
 * whose worker died after the step ran but before the delivery was completed runs again. Steps should
 * therefore be idempotent, or tolerate running twice.
 * <p>
 * A reliable queue must also honour {@link Job#requestedStartTime()}: a job put with a future start
 * time is not delivered before it.
 */
public interface ReliableJobQueue extends JobQueue {

	/**
	 * Takes the next job, blocking until one is available. The job stays owned by the queue until the
	 * delivery is completed, released or rejected.
	 * @return the delivery
	 * @throws InterruptedException when the waiting thread is interrupted: the worker stops
	 */
	JobDelivery take() throws InterruptedException;

	/**
	 * Takes the next job and acknowledges it at once, as a plain {@link JobQueue} does: the job is
	 * lost if the caller dies before putting its successor. The engine uses {@link #take()} instead.
	 */
	@Override
	default Job getOne() throws InterruptedException {
		JobDelivery delivery = take();
		delivery.acknowledge();
		return delivery.job();
	}

	/**
	 * Submits a new job: records its initial state in the store and puts it on the queue. Queues that
	 * share a transactional resource with the store do both atomically, so that a crash never leaves a
	 * recorded job that is not on the queue; the default does them in that order.
	 * @param job the new job, {@link JobStatus#QUEUED} or {@link JobStatus#SCHEDULED}
	 * @param stateStore the store to record it in
	 */
	default void submit(Job job, StateStore stateStore) {
		stateStore.update(job);
		put(job);
	}

	/**
	 * Tells whether completing a delivery writes the new state to this store, deletes the delivered
	 * message and puts the successor in one transaction, so that a step handed over once is never
	 * delivered again. When it does not, and the store is a {@link FencingStateStore}, the engine
	 * fences each step's writes so that a step delivered again after its hand-over does not fork the
	 * job.
	 * @param stateStore the engine's store
	 * @return {@code false} unless the queue and the store share a transaction
	 */
	default boolean handsOverAtomically(StateStore stateStore) {
		return false;
	}

	/**
	 * Cancels a job in one transaction with the store, for a queue that {@linkplain #handsOverAtomically
	 * hands over atomically} with it (the engine's fenced writes, which otherwise keep a cancelled job
	 * from running on, are not used then): with the job's recorded state locked, a job no worker holds
	 * is removed from the queue and recorded {@link JobStatus#CANCELLED}; a job a worker holds is
	 * recorded {@link JobStatus#CANCELLING}, and its hand-over records it {@code CANCELLED} unless the
	 * step ended the job; a final job is left as it is. Called only when
	 * {@link #handsOverAtomically(StateStore)} is {@code true} for the store.
	 * @param jobId the job's id
	 * @param stateStore the engine's store
	 * @return the job's recorded state after the request; empty when the store has no such job
	 */
	default Optional<Job> cancel(Object jobId, StateStore stateStore) {
		throw new UnsupportedOperationException(getClass().getName() + " hands over atomically with its store but "
				+ "does not implement ReliableJobQueue.cancel");
	}

	/**
	 * Records a job's new state and puts it on the queue in one transaction, provided its recorded
	 * status is still the expected one: how {@link Ergate#retry(Object)} runs a finished job again on a
	 * queue that {@linkplain #handsOverAtomically hands over atomically} with its store. Called only
	 * when {@link #handsOverAtomically(StateStore)} is {@code true} for the store.
	 * @param job the job's new state, {@link JobStatus#QUEUED}
	 * @param expected the status the recorded state must still have
	 * @param stateStore the engine's store
	 * @return {@code true} when done; {@code false} when the recorded status was another one
	 */
	default boolean requeue(Job job, JobStatus expected, StateStore stateStore) {
		throw new UnsupportedOperationException(getClass().getName() + " hands over atomically with its store but "
				+ "does not implement ReliableJobQueue.requeue");
	}

	@Override
	default boolean supportsDelayedDelivery() {
		return true;
	}

}
