package io.ergate.dashboard;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import org.jspecify.annotations.Nullable;
import org.springframework.web.util.UriUtils;

/**
 * How the pages write numbers, durations and times; the templates call it as {@code fmt}.
 */
final class Formats {

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT)
		.withZone(ZoneId.systemDefault());

	private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT)
		.withZone(ZoneId.systemDefault());

	/** Encodes a value for a URL's query. */
	static String query(String value) {
		return UriUtils.encodeQueryParam(value, StandardCharsets.UTF_8);
	}

	/** Encodes a value for a URL's path segment. */
	static String segment(String value) {
		return UriUtils.encodePathSegment(value, StandardCharsets.UTF_8);
	}

	static String percent(double percent) {
		if (Double.isNaN(percent)) {
			return "0%";
		}
		double rounded = Math.round(percent * 10) / 10.0;
		return ((rounded == Math.rint(rounded)) ? String.valueOf((long) rounded) : String.valueOf(rounded)) + "%";
	}

	/** A duration the way a person says it: {@code 850 ms}, {@code 4.2 s}, {@code 3 min 5 s}, {@code 2 h 10 min}. */
	static String duration(@Nullable Duration duration) {
		if (duration == null) {
			return "";
		}
		long millis = Math.max(0, duration.toMillis());
		if (millis < 1000) {
			return millis + " ms";
		}
		if (millis < 10_000) {
			return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
		}
		long seconds = millis / 1000;
		if (seconds < 60) {
			return seconds + " s";
		}
		if (seconds < 3600) {
			return (seconds / 60) + " min " + (seconds % 60) + " s";
		}
		if (seconds < 86_400) {
			return (seconds / 3600) + " h " + ((seconds % 3600) / 60) + " min";
		}
		return (seconds / 86_400) + " d " + ((seconds % 86_400) / 3600) + " h";
	}

	public String time(@Nullable Instant time) {
		return (time != null) ? TIME.format(time) : "";
	}

	public String clock(long epochMillis) {
		return CLOCK.format(Instant.ofEpochMilli(epochMillis));
	}

	public String age(@Nullable Duration duration) {
		return duration(duration);
	}

}
