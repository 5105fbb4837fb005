package io.ergate;

/**
 * Where a job's state is recorded: the original Ergate state-store contract.
 * <p>
 * The engine calls {@link #update(Job)} just before a step runs (status {@link JobStatus#RUNNING})
 * and just after it completes (the job's next state). Implementations must be safe to call from
 * several worker threads at once. They are responsible for their own errors: an exception thrown here
 * stops {@link Ergate#run()}.
 */
@FunctionalInterface
public interface StateStore {

	/**
	 * Records the latest state of a job.
	 * @param job the job's new state
	 */
	void update(Job job);

}
