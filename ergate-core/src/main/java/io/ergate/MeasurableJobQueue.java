package io.ergate;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * A queue that can tell how many jobs wait in it, for metrics and health. Queues implement it where
 * the answer is cheap.
 */
public interface MeasurableJobQueue {

	/**
	 * Returns how many jobs wait in the queue, due or not.
	 * @return the count, or -1 when it cannot be told now
	 */
	long depth();

	/**
	 * Returns how long the oldest job that is due has waited.
	 * @return the age, or {@code null} when the queue is empty or cannot tell
	 */
	default @Nullable Duration oldestJobAge() {
		return null;
	}

}
