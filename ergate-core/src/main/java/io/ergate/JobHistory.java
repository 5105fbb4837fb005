package io.ergate;

import java.util.List;

/**
 * The states each job went through, for timelines: a {@link StateStore} implements it when it keeps
 * them. Stores may keep only some of them (the first and the latest ones, or those of the last days);
 * each says which.
 */
public interface JobHistory {

	/**
	 * Returns the states a job was recorded in, oldest first.
	 * @param jobId the job's id
	 * @return the transitions kept, empty for an unknown job or one whose history is no longer kept
	 */
	List<JobTransition> history(Object jobId);

}
