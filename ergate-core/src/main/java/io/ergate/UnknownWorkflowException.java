package io.ergate;

import java.util.Collection;

/**
 * Thrown when a job is submitted for a workflow that is not registered.
 */
public class UnknownWorkflowException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	private final String workflowName;

	/**
	 * Creates an exception naming the unknown workflow and the known ones.
	 * @param workflowName the name that was given
	 * @param known the registered workflow names
	 */
	public UnknownWorkflowException(String workflowName, Collection<String> known) {
		super(message(workflowName, known));
		this.workflowName = workflowName;
	}

	static String message(String workflowName, Collection<String> known) {
		return "No workflow named \"" + workflowName + "\" is registered (known: "
				+ (known.isEmpty() ? "none" : String.join(", ", known.stream().sorted().toList())) + ")";
	}

	/**
	 * Returns the workflow name that was given.
	 * @return the name
	 */
	public String workflowName() {
		return this.workflowName;
	}

}
