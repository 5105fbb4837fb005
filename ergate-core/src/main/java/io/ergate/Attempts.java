package io.ergate;

import org.jspecify.annotations.Nullable;

/**
 * The attempt of a job's current step, as it travels in the job's {@code metadata}: {@code attempt}
 * (the run the state is for, from 1), {@code max_attempts} and {@code last_error} (the previous
 * attempt's error), written while a step is retried and after its last attempt failed.
 */
final class Attempts {

	static final String ATTEMPT = "attempt";

	static final String MAX_ATTEMPTS = "max_attempts";

	static final String LAST_ERROR = "last_error";

	private Attempts() {
	}

	/** The attempt in a job's metadata: 1 when absent or not a number. */
	static int of(java.util.Map<String, String> metadata) {
		String attempt = metadata.get(ATTEMPT);
		if (attempt == null) {
			return 1;
		}
		try {
			return Math.max(1, Integer.parseInt(attempt));
		}
		catch (NumberFormatException ex) {
			return 1;
		}
	}

	/** Writes the attempt entries; {@code error} null removes the last error. */
	static Job.Builder set(Job.Builder job, int attempt, int maxAttempts, @Nullable Throwable error) {
		String text = (error != null) ? error.toString() : null;
		return job.metadata(ATTEMPT, Integer.toString(attempt))
			.metadata(MAX_ATTEMPTS, Integer.toString(maxAttempts))
			.metadata(LAST_ERROR, (text == null || text.length() <= 500) ? text : text.substring(0, 497) + "...");
	}

	/** Removes the attempt entries: the next step, or a requeued job, starts at attempt 1. */
	static Job.Builder cleared(Job.Builder job) {
		return job.metadata(ATTEMPT, null).metadata(MAX_ATTEMPTS, null).metadata(LAST_ERROR, null);
	}

}
