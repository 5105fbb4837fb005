package io.ergate.autoconfigure.jdbc;

import org.jspecify.annotations.Nullable;

/**
 * Thrown at startup when the Ergate tables are missing and were not, or could not be, created: what
 * is wrong and how to fix it, for {@link ErgateJdbcFailureAnalyzer} to report.
 */
class MissingSchemaException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	private final String description;

	private final String action;

	MissingSchemaException(String description, String action, @Nullable Throwable cause) {
		super(description + ": " + action, cause);
		this.description = description;
		this.action = action;
	}

	String description() {
		return this.description;
	}

	String action() {
		return this.action;
	}

}
