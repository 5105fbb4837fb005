package io.ergate;

/**
 * A payload taken from a queue that cannot become a job that runs: too large, not JSON, not a valid
 * job. Its message is the reason, naming the field, the value and what is accepted; queues move the
 * payload to their dead letters with it.
 */
public final class PoisonJobException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param reason why the payload cannot run
	 */
	public PoisonJobException(String reason) {
		super(reason);
	}

	/**
	 * Creates the exception with its cause.
	 * @param reason why the payload cannot run
	 * @param cause the parser's error
	 */
	public PoisonJobException(String reason, Throwable cause) {
		super(reason, cause);
	}

}
