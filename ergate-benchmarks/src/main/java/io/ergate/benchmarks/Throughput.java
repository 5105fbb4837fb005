package io.ergate.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Runs a throughput scenario against its baseline, interleaved: baseline, engine, baseline, engine,
 * ... so that both see the same machine, and reports the medians and their ratio.
 */
final class Throughput {

	/** One measured run: drains {@code jobs} jobs and returns the steps it ran per second. */
	interface Run {

		double stepsPerSecond() throws Exception;

	}

	private Throughput() {
	}

	static void compare(String scenario, String settings, int rounds, Run baseline, Run engine, double target,
			double targetRatio) throws Exception {
		// one warm-up of each, not counted
		baseline.stepsPerSecond();
		engine.stepsPerSecond();
		double[] base = new double[rounds];
		double[] measured = new double[rounds];
		for (int i = 0; i < rounds; i++) {
			base[i] = baseline.stepsPerSecond();
			measured[i] = engine.stepsPerSecond();
		}
		double baseMedian = Figures.median(base);
		double median = Figures.median(measured);
		double ratio = median / baseMedian;
		boolean met = median >= target && ratio >= targetRatio;
		Figures.print("scenario=" + scenario + " " + settings + " steps_per_sec=" + Figures.format(median)
				+ " baseline_per_sec=" + Figures.format(baseMedian) + " p50_us=na p99_us=na ratio_to_baseline="
				+ Figures.format(ratio) + " target_steps_per_sec=" + Figures.format(target) + " target_ratio="
				+ Figures.format(targetRatio) + " met=" + (met ? "yes" : "no") + " runs=" + rounds);
	}

	/** Waits, spinning gently, until the counter reaches the expected count. */
	static void awaitCount(LongAdder counter, long expected, long timeoutNanos) throws InterruptedException {
		long deadline = System.nanoTime() + timeoutNanos;
		while (counter.sum() < expected) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("only " + counter.sum() + " of " + expected + " jobs finished in time");
			}
			Thread.onSpinWait();
			Thread.sleep(0, 200_000);
		}
	}

	static List<Thread> threads(int count, Runnable body, String name) {
		List<Thread> threads = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			Thread thread = new Thread(body, name + "-" + i);
			thread.setDaemon(true);
			threads.add(thread);
		}
		return threads;
	}

}
