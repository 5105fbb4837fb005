package io.ergate;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A snapshot of an {@link Ergate} engine's workers, for health checks and dashboards.
 *
 * @param state what the workers are doing as a whole
 * @param workers how many worker loops are alive
 * @param busy how many of them are running a step now
 * @param consecutiveFailures how many times in a row taking or handing on a job failed because the
 * queue or the store threw; 0 once a job goes through again
 * @param lastError the message of the last such failure, {@code null} if there was none
 * @param lastErrorTime when it happened
 * @param stuckSteps the steps still running after their timeout passed and their thread was
 * interrupted (they ignore the interrupt), each described with its job, step and how long it has run
 */
public record WorkerStatus(State state, int workers, int busy, int consecutiveFailures, @Nullable String lastError,
		@Nullable Instant lastErrorTime, List<String> stuckSteps) {

	/**
	 * A snapshot without stuck steps.
	 * @param state what the workers are doing as a whole
	 * @param workers how many worker loops are alive
	 * @param busy how many of them are running a step now
	 * @param consecutiveFailures how many times in a row taking or handing on a job failed
	 * @param lastError the message of the last such failure, {@code null} if there was none
	 * @param lastErrorTime when it happened
	 */
	public WorkerStatus(State state, int workers, int busy, int consecutiveFailures, @Nullable String lastError,
			@Nullable Instant lastErrorTime) {
		this(state, workers, busy, consecutiveFailures, lastError, lastErrorTime, List.of());
	}

	/**
	 * Copies the list of stuck steps.
	 */
	public WorkerStatus {
		stuckSteps = List.copyOf(stuckSteps);
	}

	/**
	 * What the workers are doing as a whole.
	 */
	public enum State {

		/** Not started, or stopped. */
		STOPPED,

		/** Taking and running jobs. */
		RUNNING,

		/** Finishing their steps after {@link Ergate#stop(java.time.Duration)}. */
		STOPPING

	}

}
