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
	FAILED("failed");

	private final String tag;

	StepOutcome(String tag) {
		this.tag = tag;
	}

	/**
	 * Classifies how a step's run ended: the one rule the engine, the metrics and the traces share.
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
	 * {@code abort} or {@code failed}.
	 * @return the tag value
	 */
	public String tag() {
		return this.tag;
	}

}
