package io.ergate.autoconfigure;

/**
 * Thrown at startup when the application's Ergate configuration cannot work: what is wrong, and
 * how to fix it, for {@link ErgateFailureAnalyzer} to report.
 */
class ErgateConfigurationException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	private final String action;

	ErgateConfigurationException(String description, String action) {
		super(description + ": " + action);
		this.action = action;
	}

	String description() {
		String message = getMessage();
		return message.substring(0, message.length() - this.action.length() - 2);
	}

	String action() {
		return this.action;
	}

}
