package io.ergate.spring;

import io.ergate.StepResult;

/**
 * A job was recorded {@code CANCELLED}: no further step of it runs (until it is retried, from the
 * step it stopped at). Either it was waiting ({@code QUEUED} or {@code SCHEDULED}, also between two
 * attempts) when the cancel was requested, and the event is published on the thread that called
 * {@code cancel}; or a step was running ({@code CANCELLING}) and more steps would have followed it,
 * and the event is published on the worker thread once that step ended. A job whose running step
 * ended it (completed, failed or aborted it) is not cancelled: its {@link JobFinishedEvent} or
 * {@link JobFailedEvent} is published instead.
 * <p>
 * Unlike the other step events, {@link #getStepName()} is the step that did not run, the job's
 * {@code step_name}, where a retry resumes it (the one after the step that ran, for a job cancelled
 * while running; for a job cancelled before its first step ran, which has no {@code step_name} yet,
 * the text {@code "null"}).
 */
public class JobCancelledEvent extends StepResultEvent {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the event.
	 * @param result the cancel, with the job's {@code CANCELLED} state
	 */
	public JobCancelledEvent(StepResult result) {
		super(result);
	}

}
