package io.ergate.spring;

import io.ergate.StepResult;
import org.jspecify.annotations.Nullable;

/**
 * A step ended without failing (it returned, or threw {@code GoToStep}, {@code GoToEnd} or
 * {@code AbortJob}) and the job's new state was recorded and handed on. Not published for a failed
 * attempt ({@link JobRetryScheduledEvent}, {@link JobFailedEvent}) nor for a cancelled job
 * ({@link JobCancelledEvent}). The job's
 * {@code percent_completed} tells its progress.
 * <p>
 * {@link #getStepName()} is the step that completed. {@link #getNextStepName()} is the step the job
 * goes on to, which is also {@code getJob().stepName()}: the job's state is the one recorded after
 * the step, already pointing at its next step. For a job that reached a final status there is no
 * next step, and {@code getJob().stepName()} is the completed step.
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

	/**
	 * Returns the step the job goes on to.
	 * @return the next step's name, or {@code null} when the job reached a final status
	 */
	public @Nullable String getNextStepName() {
		return getJob().status().isFinal() ? null : getJob().stepName();
	}

}
