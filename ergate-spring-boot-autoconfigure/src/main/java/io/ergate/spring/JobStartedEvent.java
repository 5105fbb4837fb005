package io.ergate.spring;

import io.ergate.Job;

/**
 * A job's first step is about to run for the first time: the job's {@code RUNNING} state, with
 * {@code steps_completed} 0 and attempt 1, was recorded. Not published again for a retry of a failed
 * attempt; published again when a finished job is run again from its first step ({@code retry}).
 */
public class JobStartedEvent extends ErgateJobEvent {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the event.
	 * @param job the running job
	 */
	public JobStartedEvent(Job job) {
		super(job);
	}

}
