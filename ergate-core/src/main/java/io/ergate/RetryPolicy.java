package io.ergate;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * How often a failing step is tried, and how long the job waits between tries: at most
 * {@link #attempts()} runs, the n-th retry after {@code initialDelay × multiplier^(n-1)}, capped at
 * {@code maxDelay}, each delay shortened by a random part of up to {@link #jitter()} so that jobs
 * that failed together do not come back together. Between tries the job waits on its queue (its
 * {@code requested_start_time} set, status {@link JobStatus#SCHEDULED}), not in a worker.
 * <p>
 * Only exceptions count: {@link AbortJob}, {@link GoToStep} and {@link GoToEnd} are never retried.
 * {@link #retryOn(Class[])} narrows the exceptions retried, {@link #noRetryOn(Class[])} excludes
 * some; both match the exception thrown and its causes. Immutable: each method returns a new policy.
 * <pre>{@code
 * RetryPolicy.maxAttempts(5)
 *     .backoff(Duration.ofSeconds(1), 2.0, Duration.ofMinutes(1))
 *     .noRetryOn(IllegalArgumentException.class);
 * }</pre>
 */
public final class RetryPolicy implements StepOption {

	private static final RetryPolicy NONE = new RetryPolicy(1, Duration.ofSeconds(1), 2.0, Duration.ofMinutes(5),
			0.2, List.of(), List.of());

	private final int attempts;

	private final Duration initialDelay;

	private final double multiplier;

	private final Duration maxDelay;

	private final double jitter;

	private final List<Class<? extends Throwable>> retryOn;

	private final List<Class<? extends Throwable>> noRetryOn;

	private RetryPolicy(int attempts, Duration initialDelay, double multiplier, Duration maxDelay, double jitter,
			List<Class<? extends Throwable>> retryOn, List<Class<? extends Throwable>> noRetryOn) {
		this.attempts = attempts;
		this.initialDelay = initialDelay;
		this.multiplier = multiplier;
		this.maxDelay = maxDelay;
		this.jitter = jitter;
		this.retryOn = retryOn;
		this.noRetryOn = noRetryOn;
	}

	/**
	 * No retry: a failure fails the job at once (what a workflow does without a policy).
	 * @return the policy
	 */
	public static RetryPolicy none() {
		return NONE;
	}

	/**
	 * A policy of up to the given number of runs, waiting 1 s before the first retry, doubling each
	 * time, at most 5 minutes, with 20 % jitter.
	 * @param attempts how many times the step may run in all, 1 or more (1: no retry)
	 * @return the policy
	 */
	public static RetryPolicy maxAttempts(int attempts) {
		if (attempts < 1) {
			throw new InvalidDefinitionException("RetryPolicy.maxAttempts must be 1 or more, was " + attempts);
		}
		return new RetryPolicy(attempts, NONE.initialDelay, NONE.multiplier, NONE.maxDelay, NONE.jitter, List.of(),
				List.of());
	}

	/**
	 * Sets the exponential backoff between tries.
	 * @param initialDelay the wait before the first retry, zero or more
	 * @param multiplier how much each wait grows over the previous one, 1.0 or more
	 * @param maxDelay the longest wait, at least {@code initialDelay}
	 * @return a new policy
	 */
	public RetryPolicy backoff(Duration initialDelay, double multiplier, Duration maxDelay) {
		Objects.requireNonNull(initialDelay, "initialDelay");
		Objects.requireNonNull(maxDelay, "maxDelay");
		if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0 || !(multiplier >= 1.0)) {
			throw new InvalidDefinitionException("RetryPolicy.backoff needs 0 <= initialDelay <= maxDelay and "
					+ "multiplier >= 1.0, was " + initialDelay + ", " + multiplier + ", " + maxDelay);
		}
		return new RetryPolicy(this.attempts, initialDelay, multiplier, maxDelay, this.jitter, this.retryOn,
				this.noRetryOn);
	}

	/**
	 * Sets how much of each wait may be cut at random.
	 * @param jitter from 0.0 (waits exactly as the backoff says) to 1.0 (anything from zero to it)
	 * @return a new policy
	 */
	public RetryPolicy jitter(double jitter) {
		if (!(jitter >= 0.0 && jitter <= 1.0)) {
			throw new InvalidDefinitionException("RetryPolicy.jitter must be from 0.0 to 1.0, was " + jitter);
		}
		return new RetryPolicy(this.attempts, this.initialDelay, this.multiplier, this.maxDelay, jitter, this.retryOn,
				this.noRetryOn);
	}

	/**
	 * Retries only these exceptions (and their subclasses, also as causes); by default every exception.
	 * @param types exception types
	 * @return a new policy
	 */
	@SafeVarargs
	public final RetryPolicy retryOn(Class<? extends Throwable>... types) {
		return new RetryPolicy(this.attempts, this.initialDelay, this.multiplier, this.maxDelay, this.jitter,
				List.of(types), this.noRetryOn);
	}

	/**
	 * Never retries these exceptions (and their subclasses, also as causes): the job fails at once.
	 * Wins over {@link #retryOn(Class[])}.
	 * @param types exception types
	 * @return a new policy
	 */
	@SafeVarargs
	public final RetryPolicy noRetryOn(Class<? extends Throwable>... types) {
		return new RetryPolicy(this.attempts, this.initialDelay, this.multiplier, this.maxDelay, this.jitter,
				this.retryOn, List.of(types));
	}

	/**
	 * Returns how many times the step may run in all.
	 * @return 1 or more
	 */
	public int attempts() {
		return this.attempts;
	}

	/**
	 * Returns the wait before the first retry.
	 * @return the delay
	 */
	public Duration initialDelay() {
		return this.initialDelay;
	}

	/**
	 * Returns how much each wait grows over the previous one.
	 * @return 1.0 or more
	 */
	public double multiplier() {
		return this.multiplier;
	}

	/**
	 * Returns the longest wait.
	 * @return the cap
	 */
	public Duration maxDelay() {
		return this.maxDelay;
	}

	/**
	 * Returns how much of each wait may be cut at random.
	 * @return from 0.0 to 1.0
	 */
	public double jitter() {
		return this.jitter;
	}

	/**
	 * Returns the exceptions retried; empty for all.
	 * @return exception types
	 */
	public List<Class<? extends Throwable>> retryOn() {
		return this.retryOn;
	}

	/**
	 * Returns the exceptions never retried.
	 * @return exception types
	 */
	public List<Class<? extends Throwable>> noRetryOn() {
		return this.noRetryOn;
	}

	/**
	 * Tells whether a run that failed with the given exception, as the given attempt, is tried again.
	 * @param error what the step threw
	 * @param attempt which run failed, from 1
	 * @return {@code true} when the policy retries it
	 */
	public boolean retries(Throwable error, int attempt) {
		if (attempt >= this.attempts || error instanceof FlowControl) {
			return false;
		}
		if (matches(error, this.noRetryOn)) {
			return false;
		}
		return this.retryOn.isEmpty() || matches(error, this.retryOn);
	}

	/**
	 * Returns the wait after the given failed attempt, before jitter.
	 * @param attempt which run failed, from 1
	 * @return {@code initialDelay × multiplier^(attempt-1)}, at most {@code maxDelay}
	 */
	public Duration delayAfter(int attempt) {
		double millis = this.initialDelay.toMillis() * Math.pow(this.multiplier, Math.max(0, attempt - 1));
		long capped = (long) Math.min(this.maxDelay.toMillis(), millis);
		return Duration.ofMillis(capped);
	}

	/** The wait after a failed attempt, with a random cut of up to {@code jitter} (random in [0, 1)). */
	Duration delayAfter(int attempt, double random) {
		long millis = delayAfter(attempt).toMillis();
		return Duration.ofMillis(Math.round(millis * (1.0 - this.jitter * random)));
	}

	private static boolean matches(Throwable error, List<Class<? extends Throwable>> types) {
		for (Throwable cause = error; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			for (Class<? extends Throwable> type : types) {
				if (type.isInstance(cause)) {
					return true;
				}
			}
		}
		return false;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return this == other || (other instanceof RetryPolicy policy && this.attempts == policy.attempts
				&& this.initialDelay.equals(policy.initialDelay) && this.multiplier == policy.multiplier
				&& this.maxDelay.equals(policy.maxDelay) && this.jitter == policy.jitter
				&& this.retryOn.equals(policy.retryOn) && this.noRetryOn.equals(policy.noRetryOn));
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.attempts, this.initialDelay, this.multiplier, this.maxDelay, this.jitter,
				this.retryOn, this.noRetryOn);
	}

	@Override
	public String toString() {
		return "RetryPolicy[attempts=" + this.attempts + ", backoff=" + this.initialDelay + " x" + this.multiplier
				+ " up to " + this.maxDelay + ", jitter=" + this.jitter + ", retryOn=" + this.retryOn + ", noRetryOn="
				+ this.noRetryOn + "]";
	}

}
