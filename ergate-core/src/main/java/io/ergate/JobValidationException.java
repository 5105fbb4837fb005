package io.ergate;

import java.util.List;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when a {@link Job} cannot be built or read because one or more of its fields are invalid.
 * The message names every bad field, its value and what is expected; {@link #violations()} gives
 * them one by one.
 */
public class JobValidationException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	private final List<Violation> violations;

	/**
	 * Creates an exception for the given violations.
	 * @param violations what is wrong, at least one
	 */
	public JobValidationException(List<Violation> violations) {
		super(describe(violations));
		this.violations = List.copyOf(violations);
	}

	/**
	 * Returns what is wrong, one entry per bad field.
	 * @return the violations, never empty
	 */
	public List<Violation> violations() {
		return this.violations;
	}

	private static String describe(List<Violation> violations) {
		return "Invalid job: " + violations.stream().map(Violation::toString).collect(Collectors.joining("; "));
	}

	/**
	 * One invalid field of a job.
	 * @param field the field's wire name, such as {@code workflow_name}
	 * @param value the value that was given, as text ({@code null} when missing)
	 * @param problem what is expected of the field
	 */
	public record Violation(String field, @Nullable String value, String problem) {

		@Override
		public String toString() {
			return this.field + " " + this.problem + " (was " + ((this.value != null) ? this.value : "missing") + ")";
		}

	}

}
