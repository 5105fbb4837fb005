package io.ergate.benchmarks;

import java.util.Arrays;
import java.util.Locale;

/**
 * Formats the machine-readable figure lines and computes percentiles and medians.
 */
final class Figures {

	private Figures() {
	}

	static double median(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		int middle = sorted.length / 2;
		return (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
	}

	/** @return the given percentile of the samples, in microseconds */
	static double percentileMicros(long[] nanos, int count, double percentile) {
		if (count == 0) {
			return Double.NaN;
		}
		long[] sorted = Arrays.copyOf(nanos, count);
		Arrays.sort(sorted);
		int index = (int) Math.min(count - 1, Math.ceil(percentile / 100.0 * count) - 1);
		return sorted[Math.max(0, index)] / 1000.0;
	}

	static String format(double value) {
		if (Double.isNaN(value)) {
			return "na";
		}
		return (value >= 100) ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.2f", value);
	}

	static void print(String line) {
		System.out.println(line);
		System.out.flush();
	}

}
