package io.ergate.spring.jdbc;

import org.jspecify.annotations.Nullable;

/**
 * Thrown at startup when the Ergate tables are missing and were not, or could not be, created: what
 * is wrong and how to fix it, for the auto-configuration's failure analyzer to report.
 */
public class MissingSchemaException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	private final String description;

	private final String action;

	/**
	 * Creates the exception.
	 * @param description what is wrong
	 * @param action how to fix it
	 * @param cause why the tables could not be created, if they were tried
	 */
	public MissingSchemaException(String description, String action, @Nullable Throwable cause) {
		super(description + ": " + action, cause);
		this.description = description;
		this.action = action;
	}

	/**
	 * Returns what is wrong.
	 * @return the description
	 */
	public String description() {
		return this.description;
	}

	/**
	 * Returns how to fix it.
	 * @return the action
	 */
	public String action() {
		return this.action;
	}

}
