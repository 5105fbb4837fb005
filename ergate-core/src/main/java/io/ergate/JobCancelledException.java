package io.ergate;

/**
 * Thrown by a queue or a store when the state a worker hands on met a cancel request: the job was
 * recorded {@link JobStatus#CANCELLED} instead and nothing was put on the queue for it. The engine
 * catches it: the step's delivery is settled and the listeners are told the job was cancelled.
 */
public final class JobCancelledException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final transient Job job;

	/**
	 * Creates the exception.
	 * @param job the job as recorded, {@link JobStatus#CANCELLED}
	 */
	public JobCancelledException(Job job) {
		super("Job " + job.id() + " was cancelled", null, false, false);
		this.job = job;
	}

	/**
	 * Returns the job as recorded.
	 * @return the job, {@link JobStatus#CANCELLED}
	 */
	public Job job() {
		return this.job;
	}

}
