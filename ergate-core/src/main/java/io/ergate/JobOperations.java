package io.ergate;

import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * What can be done to jobs from outside their steps: cancel them, run finished ones again, delete
 * and list them. {@link Ergate} implements it; so does the Spring Boot starter's {@code ErgateClient}.
 * Each change is recorded atomically in the state store (a {@link FencingStateStore}), or in one
 * transaction of a queue that hands over atomically with its store, so it holds across nodes.
 */
public interface JobOperations {

	/**
	 * Cancels a job. A {@link JobStatus#QUEUED} or {@link JobStatus#SCHEDULED} job becomes
	 * {@link JobStatus#CANCELLED} and runs no further step; a job whose step is running becomes
	 * {@link JobStatus#CANCELLING}: the step can see it ({@link StepContext#cancelRequested()}), and when
	 * it ends the job is {@code CANCELLED} if more steps would run, else it ends as the step made it end.
	 * Works across nodes: the request is recorded in the store, which every worker checks. A job in a
	 * final status is left as it is (the answer shows its status).
	 * @param id the job's id
	 * @return the job's state after the request; empty when the store has no such job
	 * @throws UnsupportedOperationException when the store is not a {@link FencingStateStore}, which a
	 * cancel needs to be recorded atomically
	 */
	Optional<Job> cancel(Object id);

	/**
	 * Runs a {@link JobStatus#FAILED}, {@link JobStatus#ABORTED} or {@link JobStatus#CANCELLED} job
	 * again, from the step where it stopped, with that step's input: it is recorded
	 * {@link JobStatus#QUEUED} (its attempts counted from 1 again) and put on the queue.
	 * @param id the job's id
	 * @return the job as requeued; empty when the store has no such job
	 * @throws IllegalStateException when the job is in another status
	 * @throws UnsupportedOperationException when the store is not a {@link FencingStateStore}
	 */
	Optional<Job> retry(Object id);

	/**
	 * Runs again, as {@link #retry(Object)} does, every job of a workflow in a status.
	 * @param workflowName the workflow
	 * @param status {@link JobStatus#FAILED}, {@link JobStatus#ABORTED} or {@link JobStatus#CANCELLED}
	 * @return how many jobs were requeued
	 * @throws UnsupportedOperationException when the store is not a {@link QueryableStateStore} and a
	 * {@link FencingStateStore}
	 */
	int retryAll(String workflowName, JobStatus status);

	/**
	 * Deletes the recorded state of a job in a final status.
	 * @param id the job's id
	 * @return {@code true} when deleted; {@code false} when the store has no such job
	 * @throws IllegalStateException when the job is not in a final status
	 * @throws UnsupportedOperationException when the store is not a {@link QueryableStateStore} that
	 * can delete
	 */
	boolean delete(Object id);

	/**
	 * Returns a page of recorded jobs, most recently created first.
	 * @param workflowName only jobs of this workflow, or {@code null} for all
	 * @param status only jobs in this status, or {@code null} for all
	 * @param offset how many matching jobs to skip
	 * @param limit the most jobs to return
	 * @return the jobs
	 * @throws UnsupportedOperationException when the store is not a {@link QueryableStateStore}
	 */
	List<Job> jobs(@Nullable String workflowName, @Nullable JobStatus status, int offset, int limit);

}
