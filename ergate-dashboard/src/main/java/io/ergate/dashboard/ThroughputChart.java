package io.ergate.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The throughput of the last hour as a server-side SVG line chart: completed, failed and retried jobs
 * per minute, with a y axis scaled to a round maximum and a time label every ten minutes.
 *
 * @param width the drawing's width
 * @param height the drawing's height
 * @param series the three lines
 * @param gridLines the horizontal grid lines with their labels
 * @param timeLabels the labels of the x axis
 * @param left the x of the plot's left edge
 * @param right the x of its right edge
 * @param bottom the y of its bottom edge
 * @param totals what the hour added up to, as text
 */
record ThroughputChart(int width, int height, List<Series> series, List<Tick> gridLines, List<Tick> timeLabels,
		int left, int right, int bottom, String totals) {

	private static final int WIDTH = 1080;

	private static final int HEIGHT = 230;

	private static final int LEFT = 44;

	private static final int RIGHT = WIDTH - 28;

	private static final int TOP = 12;

	private static final int BOTTOM = HEIGHT - 28;

	static ThroughputChart of(List<Throughput.Minute> minutes, Formats formats) {
		long max = 0;
		for (Throughput.Minute minute : minutes) {
			max = Math.max(max, Math.max(minute.completed(), Math.max(minute.failed(), minute.retried())));
		}
		long top = niceCeiling(Math.max(max, 4));
		List<Series> series = List.of(series("completed", "series-completed", minutes, Throughput.Minute::completed, top),
				series("failed", "series-failed", minutes, Throughput.Minute::failed, top),
				series("retried", "series-retried", minutes, Throughput.Minute::retried, top));
		List<Tick> grid = new ArrayList<>();
		for (int i = 0; i <= 4; i++) {
			long value = top * i / 4;
			grid.add(new Tick(y(value, top), String.valueOf(value)));
		}
		List<Tick> times = new ArrayList<>();
		for (int i = 0; i < minutes.size(); i++) {
			if ((minutes.size() - 1 - i) % 10 == 0) {
				times.add(new Tick(x(i, minutes.size()), formats.clock(minutes.get(i).startMillis())));
			}
		}
		long completed = minutes.stream().mapToLong(Throughput.Minute::completed).sum();
		long failed = minutes.stream().mapToLong(Throughput.Minute::failed).sum();
		long retried = minutes.stream().mapToLong(Throughput.Minute::retried).sum();
		return new ThroughputChart(WIDTH, HEIGHT, series, grid, times, LEFT, RIGHT, BOTTOM,
				completed + " completed, " + failed + " failed, " + retried + " retried in the last hour");
	}

	private static Series series(String name, String cssClass, List<Throughput.Minute> minutes,
			ToLongFunction<Throughput.Minute> value, long top) {
		StringBuilder points = new StringBuilder();
		for (int i = 0; i < minutes.size(); i++) {
			if (i > 0) {
				points.append(' ');
			}
			points.append(x(i, minutes.size())).append(',').append(y(value.applyAsLong(minutes.get(i)), top));
		}
		long last = minutes.isEmpty() ? 0 : value.applyAsLong(minutes.get(minutes.size() - 1));
		return new Series(name, cssClass, points.toString(), last);
	}

	private static double x(int index, int count) {
		return Math.round((LEFT + (RIGHT - LEFT) * (double) index / Math.max(1, count - 1)) * 10) / 10.0;
	}

	private static double y(long value, long top) {
		return Math.round((BOTTOM - (BOTTOM - TOP) * (double) value / top) * 10) / 10.0;
	}

	/** A round top for the y axis: four grid steps of 1, 2 or 5 times a power of ten, reaching the value. */
	static long niceCeiling(long value) {
		long step = 1;
		while (true) {
			for (long factor : new long[] { 1, 2, 5 }) {
				long candidate = factor * step;
				if (candidate * 4 >= value) {
					return candidate * 4;
				}
			}
			step *= 10;
		}
	}

	/**
	 * One line of the chart.
	 * @param name what it counts
	 * @param cssClass its colour
	 * @param points its SVG polyline points
	 * @param current its count in the current minute
	 */
	record Series(String name, String cssClass, String points, long current) {

	}

	/**
	 * A grid line or an axis label.
	 * @param position its y (grid) or x (time)
	 * @param label its text
	 */
	record Tick(double position, String label) {

	}

}
