package io.ergate;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The {@link RetryPolicy} of a {@link Step} method, or, on an {@link ErgateWorkflow} class, of each
 * of its steps that has none of its own. Durations are written as {@code 500ms}, {@code 30s},
 * {@code 5m}, {@code 1h} or ISO-8601 ({@code PT30S}).
 * <pre>{@code
 * @Step(order = 1)
 * @Retry(maxAttempts = 5, delay = "1s", multiplier = 2, maxDelay = "1m", noRetryOn = IllegalArgumentException.class)
 * Receipt charge(@Input Order order) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.METHOD, ElementType.TYPE })
public @interface Retry {

	/**
	 * How many times the step may run in all.
	 * @return 1 or more
	 */
	int maxAttempts();

	/**
	 * The wait before the first retry.
	 * @return a duration, default {@code 1s}
	 */
	String delay() default "1s";

	/**
	 * How much each wait grows over the previous one.
	 * @return 1.0 or more, default 2.0
	 */
	double multiplier() default 2.0;

	/**
	 * The longest wait.
	 * @return a duration, default {@code 5m}
	 */
	String maxDelay() default "5m";

	/**
	 * How much of each wait may be cut at random.
	 * @return from 0.0 to 1.0, default 0.2
	 */
	double jitter() default 0.2;

	/**
	 * Retries only these exceptions (and subclasses, also as causes); empty (the default) for all.
	 * @return exception types
	 */
	Class<? extends Throwable>[] retryOn() default {};

	/**
	 * Never retries these exceptions (and subclasses, also as causes).
	 * @return exception types
	 */
	Class<? extends Throwable>[] noRetryOn() default {};

}
