package io.ergate;

/**
 * Where jobs wait for a worker: the original Ergate queue contract.
 * <p>
 * A worker calls {@link #getOne()} to take a job, runs one of its steps, and calls
 * {@link #put(Job)} to hand the job on for its next step. A plain {@code JobQueue} removes a job when
 * it is taken: if the worker dies before it puts the successor, that job is lost. Durable queues
 * implement {@link ReliableJobQueue} instead, which the engine uses to guarantee that every step runs
 * at least once.
 * <p>
 * Implementations must be safe to call from several worker threads at once. They are responsible for
 * their own errors: an exception thrown here stops {@link Ergate#run()}.
 */
public interface JobQueue {

	/**
	 * Takes the next job, blocking until one is available.
	 * @return the job
	 * @throws InterruptedException when the waiting thread is interrupted: the worker stops
	 */
	Job getOne() throws InterruptedException;

	/**
	 * Puts a job on the queue for a worker to take.
	 * @param job the job, whose {@link Job#stepName()} names the step to run next
	 */
	void put(Job job);

	/**
	 * Tells whether this queue holds back a job whose {@link Job#requestedStartTime()} is in the
	 * future until that time. When it does not, the engine holds such jobs itself, in memory, and puts
	 * them when they are due.
	 * @return {@code false} unless the implementation delays jobs itself
	 */
	default boolean supportsDelayedDelivery() {
		return false;
	}

}
