package io.ergate.spring;

import io.ergate.Job;

/**
 * A job's first step is about to run: the job's {@code RUNNING} state, with
 * {@code steps_completed} 0, was recorded.
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
