package io.ergate;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.awaitility.Awaitility;

/**
 * Helpers to drive an engine in tests; waiting goes through Awaitility, as in every module.
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
		Awaitility.await()
			.atMost(timeout)
			.pollDelay(Duration.ZERO)
			.pollInterval(Duration.ofMillis(2))
			.until(condition::getAsBoolean);
	}

}
