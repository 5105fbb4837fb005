package io.ergate;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Helpers to drive an engine in tests.
 */
final class Engine {

	private Engine() {
	}

	/** Starts workers, waits until the condition holds, then stops them. */
	static void runUntil(Ergate ergate, int concurrency, BooleanSupplier done) {
		ergate.start(concurrency);
		try {
			await(done, Duration.ofSeconds(30));
		}
		finally {
			ergate.stop(Duration.ofSeconds(10));
		}
	}

	static void await(BooleanSupplier condition, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("Condition not met within " + timeout);
			}
			try {
				TimeUnit.MILLISECONDS.sleep(2);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError(ex);
			}
		}
	}

}
