package io.ergate.spring;

import java.time.Instant;

import io.ergate.StepOutcome;
import io.ergate.StepResult;
import org.jspecify.annotations.Nullable;

/**
 * A step's attempt failed (it threw, or ran past its timeout) and its retry policy runs it again: the
 * job was recorded {@code SCHEDULED} at the same step, with its {@code requested_start_time} set to
 * the next attempt and the metadata {@code attempt}, {@code max_attempts} and {@code last_error}. No
 * {@link JobStepCompletedEvent} is published for a failed attempt; the job's
 * {@link JobFailedEvent} comes when its last attempt fails.
 */
public class JobRetryScheduledEvent extends StepResultEvent {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the event.
	 * @param result the failed attempt, whose job is the state recorded for the next one
	 */
	public JobRetryScheduledEvent(StepResult result) {
		super(result);
	}

	/**
	 * Returns which attempt failed.
	 * @return from 1
	 */
	public int getFailedAttempt() {
		return getNextAttempt() - 1;
	}

	/**
	 * Returns which attempt runs next.
	 * @return from 2; {@code getJob().attempt()}
	 */
	public int getNextAttempt() {
		return getJob().attempt();
	}

	/**
	 * Returns how many attempts the step may have in all.
	 * @return the policy's {@code maxAttempts}, 0 when the job does not say
	 */
	public int getMaxAttempts() {
		String max = getJob().metadata().get("max_attempts");
		try {
			return (max != null) ? Integer.parseInt(max) : 0;
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	/**
	 * Returns when the next attempt may run, the job's {@code requested_start_time}.
	 * @return the time, {@code null} when the job has none
	 */
	public @Nullable Instant getNextAttemptTime() {
		return getJob().requestedStartTime();
	}

	/**
	 * Tells whether the attempt failed because it ran past the step's timeout
	 * ({@link StepOutcome#TIMEOUT}).
	 * @return {@code true} for a timeout
	 */
	public boolean isTimeout() {
		return getResult().outcome() == StepOutcome.TIMEOUT;
	}

	/**
	 * Returns the error of the failed attempt.
	 * @return the error, a {@code StepTimeoutException} for a timeout
	 */
	public @Nullable Throwable getError() {
		return getResult().error();
	}

}
