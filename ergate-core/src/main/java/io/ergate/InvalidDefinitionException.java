package io.ergate;

/**
 * Thrown when a workflow cannot be registered: a duplicate workflow or step name, a path hint naming
 * an unknown step or pointing backwards, or a step parameter the engine cannot supply. The message
 * names the workflow, the step and the fix.
 */
public class InvalidDefinitionException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates an exception with the given message.
	 * @param message what is wrong and how to fix it
	 */
	public InvalidDefinitionException(String message) {
		super(message);
	}

	/**
	 * Creates an exception with the given message and cause.
	 * @param message what is wrong and how to fix it
	 * @param cause the underlying error
	 */
	public InvalidDefinitionException(String message, Throwable cause) {
		super(message, cause);
	}

}
