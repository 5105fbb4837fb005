package io.ergate.spring;

import io.ergate.StepResult;

/**
 * A job reached a final status without failing: {@code COMPLETED} (all its steps ran, or a step
 * threw {@code GoToEnd}) or {@code ABORTED} (a step threw {@code AbortJob}). Published after the
 * {@link JobStepCompletedEvent} of its last step. A job that ends {@code FAILED} publishes a
 * {@link JobFailedEvent} instead, one that ends {@code CANCELLED} a {@link JobCancelledEvent}.
 */
public class JobFinishedEvent extends StepResultEvent {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the event.
	 * @param result what the job's last step did
	 */
	public JobFinishedEvent(StepResult result) {
		super(result);
	}

}
