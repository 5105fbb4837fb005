package io.ergate;

import org.jspecify.annotations.Nullable;

/**
 * How a step run ended.
 */
public enum StepOutcome {

	/** The step returned normally: the next step runs, or the job completes after the last one. */
	NEXT("next"),

	/** The step threw {@link GoToStep}. */
	GO_TO("goto"),

	/** The step threw {@link GoToEnd}: the job completed. */
	END("end"),

	/** The step threw {@link AbortJob}: the job was aborted. */
	ABORT("abort"),

	/** The step threw another exception, or the job could not be run: the job failed. */
	FAILED("failed"),

	/**
	 * The step threw an exception its {@link RetryPolicy} retries: the job waits, {@link JobStatus#SCHEDULED},
	 * for its next attempt at the same step.
	 */
	RETRY("retry"),

	/**
	 * The step ran past its timeout: the job waits for its next attempt ({@link JobStatus#SCHEDULED}) when
	 * its {@link RetryPolicy} retries {@link StepTimeoutException}, else it failed ({@link JobStatus#FAILED}).
	 */
	TIMEOUT("timeout"),

	/**
	 * A cancel was requested: the job was {@link JobStatus#CANCELLED} when this step ended, or before it
	 * ran (the step did not run then).
	 */
	CANCELLED("cancelled");

	private final String tag;

	StepOutcome(String tag) {
		this.tag = tag;
	}

	/**
	 * Classifies how a step's run ended by what it threw: the one rule the engine, the metrics and the
	 * traces share. A failure is {@link #FAILED} here; the engine makes it {@link #RETRY} or
	 * {@link #TIMEOUT} when it retries it or the step timed out.
	 * @param thrown what the step threw, or {@code null} when it returned
	 * @return the outcome
	 */
	public static StepOutcome of(@Nullable Throwable thrown) {
		if (thrown == null) {
			return NEXT;
		}
		if (thrown instanceof GoToStep) {
			return GO_TO;
		}
		if (thrown instanceof GoToEnd) {
			return END;
		}
		return (thrown instanceof AbortJob) ? ABORT : FAILED;
	}

	/**
	 * Returns the outcome as metrics and traces tag it: {@code next}, {@code goto}, {@code end},
	 * {@code abort}, {@code failed}, {@code retry}, {@code timeout} or {@code cancelled}.
	 * @return the tag value
	 */
	public String tag() {
		return this.tag;
	}

}
