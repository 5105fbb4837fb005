package io.ergate.dashboard;

import java.util.ArrayList;
import java.util.List;

/**
 * A horizontal bar chart drawn as server-side SVG: one row per label, each bar made of coloured
 * segments (one per status), with the total at its end. The template draws the rectangles it lays out.
 *
 * @param width the drawing's width
 * @param height the drawing's height
 * @param rows the laid out rows
 */
record BarChart(int width, int height, List<Row> rows) {

	static final int WIDTH = 520;

	private static final int LABEL_WIDTH = 150;

	private static final int VALUE_WIDTH = 60;

	private static final int ROW_HEIGHT = 30;

	private static final int BAR_HEIGHT = 18;

	/**
	 * Lays out rows of segments, scaled to the largest total.
	 * @param inputs the rows, in the order to draw them
	 * @return the chart
	 */
	static BarChart of(List<Input> inputs) {
		long max = 1;
		for (Input input : inputs) {
			max = Math.max(max, input.total());
		}
		double scale = (WIDTH - LABEL_WIDTH - VALUE_WIDTH) / (double) max;
		List<Row> rows = new ArrayList<>();
		int y = 6;
		for (Input input : inputs) {
			List<Rect> rects = new ArrayList<>();
			double x = LABEL_WIDTH;
			for (Segment segment : input.segments()) {
				if (segment.value() <= 0) {
					continue;
				}
				double w = Math.max(2, segment.value() * scale);
				rects.add(new Rect(round(x), y + (ROW_HEIGHT - BAR_HEIGHT) / 2, round(w), BAR_HEIGHT,
						segment.cssClass(), segment.title() + ": " + segment.value()));
				x += w;
			}
			rows.add(new Row(input.label(), LABEL_WIDTH - 10, y + ROW_HEIGHT / 2 + 5, rects, String.valueOf(input.total()),
					round(x + 8), input.href()));
			y += ROW_HEIGHT;
		}
		return new BarChart(WIDTH, y + 6, rows);
	}

	private static double round(double value) {
		return Math.round(value * 10) / 10.0;
	}

	/**
	 * One row to draw.
	 * @param label its label, on the left
	 * @param segments its bar's parts, left to right
	 * @param href where its label links to, or {@code ""}
	 */
	record Input(String label, List<Segment> segments, String href) {

		long total() {
			return this.segments.stream().mapToLong(Segment::value).sum();
		}

	}

	/**
	 * One part of a bar.
	 * @param value its length, in jobs
	 * @param cssClass its colour's CSS class
	 * @param title what a tooltip says of it
	 */
	record Segment(long value, String cssClass, String title) {

	}

	/**
	 * A laid out row.
	 * @param label the label
	 * @param labelX where the label ends
	 * @param textY the baseline of the label and the value
	 * @param rects the bar's rectangles
	 * @param value the total, as text
	 * @param valueX where the total starts
	 * @param href where the label links to, or {@code ""}
	 */
	record Row(String label, double labelX, double textY, List<Rect> rects, String value, double valueX, String href) {

	}

	/**
	 * A rectangle of a bar.
	 * @param x left
	 * @param y top
	 * @param width width
	 * @param height height
	 * @param cssClass colour
	 * @param title tooltip
	 */
	record Rect(double x, double y, double width, double height, String cssClass, String title) {

	}

}
