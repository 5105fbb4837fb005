package io.ergate;

/**
 * Thrown by a step to stop its job on purpose: the job is {@link JobStatus#ABORTED} with the reason
 * in {@link Job#exceptionTraceback()}. An expected end, not an error: nothing is logged above DEBUG.
 */
public final class AbortJob extends FlowControl {

	private static final long serialVersionUID = 1L;

	/**
	 * Aborts the job.
	 * @param reason why, kept in the job
	 */
	public AbortJob(String reason) {
		super(reason);
	}

	/**
	 * Returns why the job was aborted.
	 * @return the reason
	 */
	public String reason() {
		String message = getMessage();
		return (message != null) ? message : "";
	}

}
