package io.ergate.spring;

import io.ergate.StepResult;
import org.jspecify.annotations.Nullable;

/**
 * A job failed: a step threw an unexpected exception that its retry policy does not retry (or on its
 * last attempt), ran past its timeout on its last attempt ({@code getResult().outcome()} is then
 * {@code TIMEOUT}), or the job could not be run (unknown workflow or step). Its {@code FAILED} state,
 * with the stack trace in {@code exception_traceback}, was recorded; after retries its metadata
 * {@code attempt} and {@code max_attempts} tell how many attempts ran. An attempt that is retried
 * publishes a {@link JobRetryScheduledEvent} instead.
 */
public class JobFailedEvent extends StepResultEvent {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the event.
	 * @param result what happened
	 */
	public JobFailedEvent(StepResult result) {
		super(result);
	}

	/**
	 * Returns the error that failed the job.
	 * @return the error
	 */
	public @Nullable Throwable getError() {
		return getResult().error();
	}

}
