package io.ergate;

/**
 * Hears about each job run: one step of one job. Listeners are called on the worker thread; one
 * that throws is logged and ignored.
 */
public interface JobListener {

	/**
	 * Called after the job's {@link JobStatus#RUNNING} state was recorded, just before its step runs.
	 * @param job the running job
	 */
	default void onJobRunStart(Job job) {
	}

	/**
	 * Called after a step ended in any outcome but {@link StepOutcome#FAILED} and the job's new state
	 * was recorded and handed on.
	 * @param result what the step did
	 */
	default void onJobRunEnd(StepResult result) {
	}

	/**
	 * Called after a step failed (or the job could not be run) and the job's {@link JobStatus#FAILED}
	 * state was recorded.
	 * @param result what happened, with the error
	 */
	default void onJobRunFailure(StepResult result) {
	}

}
