package io.ergate.contract;

import java.util.List;
import java.util.function.Consumer;

import io.ergate.Job;
import io.ergate.JobQueue;
import io.ergate.QueryableStateStore;

/**
 * A queue and a store on a real backend, as {@link JobQueueContract} drives them: what a backend's
 * test provides to run the shared contract.
 */
public interface QueueBackend extends AutoCloseable {

	/**
	 * The queue the engine takes jobs from.
	 * @return the queue
	 */
	JobQueue queue();

	/**
	 * The store the engine records states in.
	 * @return the store
	 */
	QueryableStateStore store();

	/**
	 * Whether {@link #putRaw(String)} is possible: the queue carries payloads, not Java objects.
	 * @return {@code true} for queues of payloads
	 */
	default boolean takesRawPayloads() {
		return true;
	}

	/**
	 * Puts a payload on the queue as another producer would, past the Java codec.
	 * @param payload the payload's text
	 */
	void putRaw(String payload);

	/**
	 * The reasons of every dead letter so far, oldest first.
	 * @return the reasons
	 */
	List<String> deadLetterReasons();

	/**
	 * Takes the next job off the queue as a worker of another process would, calls
	 * {@code beforeDying} with it, then dies (kill -9) without settling it: the queue must deliver it
	 * again.
	 * @param beforeDying what the worker did before it died
	 * @return the job taken
	 * @throws Exception when the backend fails
	 */
	Job takeAndDie(Consumer<Job> beforeDying) throws Exception;

}
