package io.ergate;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * A {@link StateStore} that can be read back: the latest state of a job by id, pages of jobs, and
 * counts per status. Dashboards, HTTP APIs and health checks use it when the store offers it.
 */
public interface QueryableStateStore extends StateStore {

	/**
	 * Returns the latest recorded state of a job.
	 * @param id the job's id
	 * @return the job, if one with that id was recorded
	 */
	Optional<Job> findById(Object id);

	/**
	 * Returns a page of jobs, most recently created first.
	 * @param workflowName only jobs of this workflow, or {@code null} for all
	 * @param status only jobs in this status, or {@code null} for all
	 * @param offset how many matching jobs to skip
	 * @param limit the most jobs to return
	 * @return the jobs
	 */
	List<Job> findJobs(@Nullable String workflowName, @Nullable JobStatus status, int offset, int limit);

	/**
	 * Counts the recorded jobs in each status.
	 * @return the count per status; statuses without jobs may be missing
	 */
	Map<JobStatus, Long> countByStatus();

	/**
	 * Deletes the recorded state of a job in a final status; a job in any other status is kept.
	 * @param id the job's id
	 * @return {@code true} when deleted; {@code false} when there was no such job or it is not final
	 * @throws UnsupportedOperationException when the store cannot delete (the default)
	 */
	default boolean deleteFinished(Object id) {
		throw new UnsupportedOperationException(getClass().getName() + " cannot delete jobs");
	}

}
