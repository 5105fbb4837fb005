package io.ergate.internal.json;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

import org.jspecify.annotations.Nullable;

/**
 * Writes and reads the ISO-8601 date-times of the job wire format without a {@code DateTimeFormatter}:
 * {@link #format(Instant)} gives exactly {@link Instant#toString()}, and {@link #parse(String)} reads the
 * common shapes ({@code 2026-01-31T09:30:00Z}, with a fraction of up to nine digits, with a
 * {@code +02:00} offset, or without an offset, meaning UTC), leaving every other shape to the caller's
 * {@code java.time} parser.
 */
public final class IsoInstant {

	private static final int SECONDS_PER_DAY = 86_400;

	private IsoInstant() {
	}

	/**
	 * Formats an instant as {@link Instant#toString()} does.
	 * @param instant the instant
	 * @return the ISO-8601 text, in UTC
	 */
	static String format(Instant instant) {
		long seconds = instant.getEpochSecond();
		long days = Math.floorDiv(seconds, SECONDS_PER_DAY);
		int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
		if (days < -719_528 || days > 2_932_896) {
			// outside years 0000 to 9999, where Instant.toString() writes a sign or more digits
			return instant.toString();
		}
		LocalDate date = LocalDate.ofEpochDay(days);
		int nano = instant.getNano();
		char[] text = new char[30];
		int year = date.getYear();
		text[0] = (char) ('0' + year / 1000);
		text[1] = (char) ('0' + year / 100 % 10);
		text[2] = (char) ('0' + year / 10 % 10);
		text[3] = (char) ('0' + year % 10);
		text[4] = '-';
		twoDigits(text, 5, date.getMonthValue());
		text[7] = '-';
		twoDigits(text, 8, date.getDayOfMonth());
		text[10] = 'T';
		twoDigits(text, 11, secondOfDay / 3600);
		text[13] = ':';
		twoDigits(text, 14, secondOfDay / 60 % 60);
		text[16] = ':';
		twoDigits(text, 17, secondOfDay % 60);
		int length = 19;
		if (nano > 0) {
			text[length++] = '.';
			int digits = (nano % 1_000_000 == 0) ? 3 : (nano % 1_000 == 0) ? 6 : 9;
			int value = (digits == 3) ? nano / 1_000_000 : (digits == 6) ? nano / 1_000 : nano;
			for (int i = digits - 1; i >= 0; i--) {
				text[length + i] = (char) ('0' + value % 10);
				value /= 10;
			}
			length += digits;
		}
		text[length++] = 'Z';
		return new String(text, 0, length);
	}

	private static void twoDigits(char[] text, int at, int value) {
		text[at] = (char) ('0' + value / 10);
		text[at + 1] = (char) ('0' + value % 10);
	}

	/**
	 * Reads {@code yyyy-MM-ddTHH:mm:ss}, optionally followed by a fraction of one to nine digits, and
	 * by {@code Z} or an offset {@code +HH:MM}/{@code -HH:MM}; without an offset the time is UTC.
	 * @param text the trimmed text
	 * @return the instant, or {@code null} when the text has another shape or names an invalid date or
	 * time: the caller then uses the full {@code java.time} parsers, which also report the error
	 */
	static @Nullable Instant parse(String text) {
		int length = text.length();
		if (length < 19 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
				|| text.charAt(13) != ':' || text.charAt(16) != ':') {
			return null;
		}
		int year = digits(text, 0, 4);
		int month = digits(text, 5, 2);
		int day = digits(text, 8, 2);
		int hour = digits(text, 11, 2);
		int minute = digits(text, 14, 2);
		int second = digits(text, 17, 2);
		if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0
				|| second > 59) {
			return null;
		}
		int at = 19;
		int nano = 0;
		if (at < length && text.charAt(at) == '.') {
			int start = ++at;
			while (at < length && at - start < 9 && isDigit(text.charAt(at))) {
				nano = nano * 10 + (text.charAt(at) - '0');
				at++;
			}
			int count = at - start;
			if (count == 0 || (at < length && isDigit(text.charAt(at)))) {
				return null;
			}
			for (int i = count; i < 9; i++) {
				nano *= 10;
			}
		}
		int offsetSeconds;
		if (at == length) {
			offsetSeconds = 0;
		}
		else if (at + 1 == length && text.charAt(at) == 'Z') {
			offsetSeconds = 0;
		}
		else if (at + 6 == length && (text.charAt(at) == '+' || text.charAt(at) == '-')
				&& text.charAt(at + 3) == ':') {
			int offsetHours = digits(text, at + 1, 2);
			int offsetMinutes = digits(text, at + 4, 2);
			if (offsetHours < 0 || offsetHours > 18 || offsetMinutes < 0 || offsetMinutes > 59
					|| (offsetHours == 18 && offsetMinutes > 0)) {
				return null;
			}
			offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60) * ((text.charAt(at) == '-') ? -1 : 1);
		}
		else {
			return null;
		}
		long epochDay;
		try {
			epochDay = LocalDate.of(year, month, day).toEpochDay();
		}
		catch (DateTimeException ex) {
			return null;
		}
		long seconds = epochDay * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second - offsetSeconds;
		return Instant.ofEpochSecond(seconds, nano);
	}

	/** @return the value of {@code count} decimal digits at {@code at}, or -1 when one is not a digit */
	private static int digits(String text, int at, int count) {
		int value = 0;
		for (int i = at; i < at + count; i++) {
			char c = text.charAt(i);
			if (!isDigit(c)) {
				return -1;
			}
			value = value * 10 + (c - '0');
		}
		return value;
	}

	private static boolean isDigit(char c) {
		return c >= '0' && c <= '9';
	}

}
