package io.ergate.spring;

import io.ergate.StepResult;

/**
 * A step ended without failing (it returned, or threw {@code GoToStep}, {@code GoToEnd} or
 * {@code AbortJob}) and the job's new state was recorded and handed on. The job's
 * {@code percent_completed} tells its progress.
 */
public class JobStepCompletedEvent extends StepResultEvent {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the event.
	 * @param result what the step did
	 */
	public JobStepCompletedEvent(StepResult result) {
		super(result);
	}

}
