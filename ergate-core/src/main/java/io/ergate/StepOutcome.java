package io.ergate;

/**
 * How a step run ended.
 */
public enum StepOutcome {

	/** The step returned normally: the next step runs, or the job completes after the last one. */
	NEXT,

	/** The step threw {@link GoToStep}. */
	GO_TO,

	/** The step threw {@link GoToEnd}: the job completed. */
	END,

	/** The step threw {@link AbortJob}: the job was aborted. */
	ABORT,

	/** The step threw another exception, or the job could not be run: the job failed. */
	FAILED

}
