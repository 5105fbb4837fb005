package io.ergate;

import java.time.Duration;

/**
 * Something a step is declared with, besides its code: a {@link PathHint} (an exit it may take), a
 * {@link RetryPolicy} (what happens when it fails), or a {@linkplain #timeout(Duration) timeout}.
 * <pre>{@code
 * Workflow.builder("orders")
 *     .step("charge", Order.class, this::charge,
 *         RetryPolicy.maxAttempts(5).backoff(Duration.ofSeconds(1), 2.0, Duration.ofMinutes(1)),
 *         StepOption.timeout(Duration.ofSeconds(30)))
 *     .build();
 * }</pre>
 */
public sealed interface StepOption permits PathHint, RetryPolicy, StepOption.Timeout {

	/**
	 * How long one run of the step may take: when it passes, the step's thread is interrupted and the
	 * attempt fails with a {@link StepTimeoutException}, which the step's {@link RetryPolicy} may retry.
	 * @param timeout more than zero
	 * @return the option
	 */
	static StepOption timeout(Duration timeout) {
		return new Timeout(timeout);
	}

	/**
	 * The option made by {@link StepOption#timeout(Duration)}.
	 * @param duration how long one run of the step may take
	 */
	record Timeout(Duration duration) implements StepOption {

		/**
		 * Checks the duration.
		 * @param duration more than zero
		 */
		public Timeout {
			if (duration == null || duration.isNegative() || duration.isZero()) {
				throw new InvalidDefinitionException("A step timeout must be more than zero, was " + duration);
			}
		}

	}

}
