package io.ergate;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * What one step run did, as given to {@link JobListener}s.
 *
 * @param job the job's state after the step, as recorded in the state store
 * @param stepName the step that ran (or was to run, when the job could not be run)
 * @param outcome how the step ended
 * @param duration how long the step's code ran, dependencies included
 * @param error the exception that failed the job, for {@link StepOutcome#FAILED}
 */
public record StepResult(Job job, String stepName, StepOutcome outcome, Duration duration,
		@Nullable Throwable error) {

}
