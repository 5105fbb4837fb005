package io.ergate.rabbitmq;

/**
 * Thrown when RabbitMQ did not take a message: the broker refused it (a negative confirm), did not
 * confirm it in time, returned it because its queue does not exist, or the connection failed. The
 * message may or may not have reached the queue: callers that retry may create a duplicate, never a
 * loss.
 */
public class RabbitJobQueueException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates an exception.
	 * @param message what failed and how to fix it
	 */
	public RabbitJobQueueException(String message) {
		super(message);
	}

	/**
	 * Creates an exception with its cause.
	 * @param message what failed and how to fix it
	 * @param cause the client's exception
	 */
	public RabbitJobQueueException(String message, Throwable cause) {
		super(message, cause);
	}

}
