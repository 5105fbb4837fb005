package io.ergate;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Reads the durations of annotations: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d} or ISO-8601. */
final class Durations {

	private Durations() {
	}

	/**
	 * @param text the duration
	 * @param where what the duration is for, named in the error
	 */
	static Duration parse(String text, String where) {
		String value = text.trim().toLowerCase(Locale.ROOT);
		try {
			if (value.startsWith("p")) {
				return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
			}
			int unit = 0;
			while (unit < value.length() && Character.isDigit(value.charAt(unit))) {
				unit++;
			}
			long amount = Long.parseLong(value.substring(0, unit));
			return switch (value.substring(unit).trim()) {
				case "ms" -> Duration.ofMillis(amount);
				case "s" -> Duration.ofSeconds(amount);
				case "m" -> Duration.ofMinutes(amount);
				case "h" -> Duration.ofHours(amount);
				case "d" -> Duration.ofDays(amount);
				default -> throw new NumberFormatException();
			};
		}
		catch (NumberFormatException | DateTimeParseException ex) {
			throw new InvalidDefinitionException(where + ": \"" + text + "\" is not a duration; write it as 500ms, "
					+ "30s, 5m, 1h, 2d or ISO-8601 (PT30S)");
		}
	}

}
