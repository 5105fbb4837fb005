package io.ergate;

import java.time.Duration;

/**
 * Why a step's attempt failed when it ran longer than its timeout ({@link StepOption#timeout},
 * {@link Step#timeout()}, {@code ergate.step.default-timeout}). A {@link RetryPolicy} retries it like
 * any other exception, unless it lists it in {@link RetryPolicy#noRetryOn(Class[])}.
 */
public final class StepTimeoutException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final Duration timeout;

	/**
	 * Creates the exception.
	 * @param workflowName the workflow
	 * @param stepName the step that ran too long
	 * @param timeout its timeout
	 */
	public StepTimeoutException(String workflowName, String stepName, Duration timeout) {
		super("Step \"" + stepName + "\" of workflow \"" + workflowName + "\" timed out after " + timeout.toMillis()
				+ " ms: its thread was interrupted");
		this.timeout = timeout;
	}

	/**
	 * Returns the timeout that passed.
	 * @return the timeout
	 */
	public Duration timeout() {
		return this.timeout;
	}

}
