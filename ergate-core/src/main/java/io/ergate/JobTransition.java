package io.ergate;

import java.time.Instant;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * One state a job was recorded in, as kept by a {@link JobHistory}.
 *
 * @param status the job's status then
 * @param stepName the job's {@code step_name} then: the step running or next to run, the last one
 * run once the job is final; {@code null} before its first step
 * @param stepsCompleted how many steps it had completed
 * @param percentCompleted its {@code percent_completed}, from 0 to 100
 * @param time when the state was recorded
 */
public record JobTransition(JobStatus status, @Nullable String stepName, int stepsCompleted, double percentCompleted,
		Instant time) {

	/**
	 * Checks the fields.
	 * @param status the job's status then
	 * @param stepName the step it was at
	 * @param stepsCompleted how many steps it had completed
	 * @param percentCompleted its progress
	 * @param time when the state was recorded
	 */
	public JobTransition {
		Objects.requireNonNull(status, "status");
		Objects.requireNonNull(time, "time");
	}

	/**
	 * Returns the transition of a job's state, recorded at the given time.
	 * @param job the state
	 * @param time when it was recorded
	 * @return the transition
	 */
	public static JobTransition of(Job job, Instant time) {
		return new JobTransition(job.status(), job.stepName(), job.stepsCompleted(), job.percentCompleted(), time);
	}

}
