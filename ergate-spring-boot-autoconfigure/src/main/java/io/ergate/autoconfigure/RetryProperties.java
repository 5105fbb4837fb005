package io.ergate.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.ergate.RetryPolicy;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ClassUtils;
import org.springframework.validation.Errors;

/**
 * The engine's default retry policy, {@code ergate.retry.*}: the policy of every step whose workflow
 * declares none (no {@code @Retry}, no {@code RetryPolicy} in its builder). The defaults retry nothing,
 * as a workflow without a policy does.
 */
public class RetryProperties {

	/**
	 * How many times a step may run in all before its job fails; 1 (the default) retries nothing.
	 */
	private int maxAttempts = 1;

	/**
	 * Wait before the first retry; each further wait is the previous one times the multiplier.
	 */
	private Duration initialDelay = Duration.ofSeconds(1);

	/**
	 * How much each wait between tries grows over the previous one, 1.0 or more.
	 */
	private double multiplier = 2.0;

	/**
	 * Longest wait between two tries.
	 */
	private Duration maxDelay = Duration.ofMinutes(5);

	/**
	 * How much of each wait may be cut at random, from 0.0 to 1.0, so that jobs that failed together
	 * do not come back together.
	 */
	private double jitter = 0.2;

	/**
	 * Fully qualified names of the exceptions retried (with their subclasses, also as causes); empty
	 * for every exception.
	 */
	private List<String> retryOn = new ArrayList<>();

	/**
	 * Fully qualified names of the exceptions never retried (with their subclasses, also as causes):
	 * the job fails at once. Wins over retry-on.
	 */
	private List<String> noRetryOn = new ArrayList<>();

	public int getMaxAttempts() {
		return this.maxAttempts;
	}

	public void setMaxAttempts(int maxAttempts) {
		this.maxAttempts = maxAttempts;
	}

	public Duration getInitialDelay() {
		return this.initialDelay;
	}

	public void setInitialDelay(Duration initialDelay) {
		this.initialDelay = initialDelay;
	}

	public double getMultiplier() {
		return this.multiplier;
	}

	public void setMultiplier(double multiplier) {
		this.multiplier = multiplier;
	}

	public Duration getMaxDelay() {
		return this.maxDelay;
	}

	public void setMaxDelay(Duration maxDelay) {
		this.maxDelay = maxDelay;
	}

	public double getJitter() {
		return this.jitter;
	}

	public void setJitter(double jitter) {
		this.jitter = jitter;
	}

	public List<String> getRetryOn() {
		return this.retryOn;
	}

	public void setRetryOn(List<String> retryOn) {
		this.retryOn = retryOn;
	}

	public List<String> getNoRetryOn() {
		return this.noRetryOn;
	}

	public void setNoRetryOn(List<String> noRetryOn) {
		this.noRetryOn = noRetryOn;
	}

	/**
	 * Returns the policy these settings describe.
	 * @return {@link RetryPolicy#none()} for {@code max-attempts} 1, else the policy
	 * @throws IllegalArgumentException when a class name is not a {@code Throwable} on the class path
	 * (the validation reports it first, naming the property)
	 */
	public RetryPolicy toPolicy() {
		if (this.maxAttempts <= 1) {
			return RetryPolicy.none();
		}
		RetryPolicy policy = RetryPolicy.maxAttempts(this.maxAttempts)
			.backoff(this.initialDelay, this.multiplier, this.maxDelay)
			.jitter(this.jitter);
		if (!this.retryOn.isEmpty()) {
			policy = policy.retryOn(throwables(this.retryOn));
		}
		if (!this.noRetryOn.isEmpty()) {
			policy = policy.noRetryOn(throwables(this.noRetryOn));
		}
		return policy;
	}

	/** Rejects each bad value, under {@code prefix} (the field path of these settings). */
	void validate(String prefix, Errors errors) {
		if (this.maxAttempts < 1) {
			errors.rejectValue(prefix + ".maxAttempts", "min", "must be 1 or more (1: no retry)");
		}
		if (this.initialDelay.isNegative()) {
			errors.rejectValue(prefix + ".initialDelay", "min", "must be zero or more");
		}
		else if (this.maxDelay.compareTo(this.initialDelay) < 0) {
			errors.rejectValue(prefix + ".maxDelay", "min",
					"must be at least ergate.retry.initial-delay (" + this.initialDelay + ")");
		}
		if (!(this.multiplier >= 1.0)) {
			errors.rejectValue(prefix + ".multiplier", "min", "must be 1.0 or more (1.0: the same wait each time)");
		}
		if (!(this.jitter >= 0.0 && this.jitter <= 1.0)) {
			errors.rejectValue(prefix + ".jitter", "range", "must be from 0.0 to 1.0");
		}
		validateClasses(prefix + ".retryOn", this.retryOn, errors);
		validateClasses(prefix + ".noRetryOn", this.noRetryOn, errors);
	}

	private static void validateClasses(String field, List<String> names, Errors errors) {
		for (String name : names) {
			String problem = problem(name);
			if (problem != null) {
				errors.rejectValue(field, "type", problem);
				return;
			}
		}
	}

	/** What is wrong with a class name, or null when it names a Throwable class. */
	private static @Nullable String problem(String name) {
		Class<?> type;
		try {
			type = ClassUtils.forName(name.trim(), ClassUtils.getDefaultClassLoader());
		}
		catch (ClassNotFoundException | LinkageError | IllegalArgumentException ex) {
			return "\"" + name + "\" is not a class on the class path: write the fully qualified name of an "
					+ "exception class, such as java.io.IOException";
		}
		if (!Throwable.class.isAssignableFrom(type)) {
			return "\"" + name + "\" is not an exception class (" + type.getName() + " is not a Throwable): list "
					+ "exception classes only, such as java.io.IOException";
		}
		return null;
	}

	@SuppressWarnings("unchecked")
	private static Class<? extends Throwable>[] throwables(List<String> names) {
		List<Class<? extends Throwable>> types = new ArrayList<>(names.size());
		for (String name : names) {
			String problem = problem(name);
			if (problem != null) {
				throw new IllegalArgumentException(problem);
			}
			types.add((Class<? extends Throwable>) ClassUtils.resolveClassName(name.trim(),
					ClassUtils.getDefaultClassLoader()));
		}
		return types.toArray(new Class[0]);
	}

}
