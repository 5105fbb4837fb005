package io.ergate;

import org.jspecify.annotations.Nullable;

/**
 * The status of a {@link Job}.
 * <p>
 * On the wire a status is written as an integer code or as its name, and read from either: the
 * {@link JobJsonFormat} of the mapper decides, and its {@link JobJsonFormat.StatusNumbering} numbers
 * the codes (by default the numbering of the Python Ergate that the seed documents describe,
 * {@code QUEUED} 1). {@link #code()} is the code in the numbering of Python Ergate 0.1 and later.
 */
public enum JobStatus {

	/** Waiting for its {@code requested_start_time}. */
	SCHEDULED(1),

	/** Waiting on the queue for a worker to run its next step. */
	QUEUED(2),

	/** A worker is running one of its steps. */
	RUNNING(3),

	/** Every step it had to run has run. Final. */
	COMPLETED(4),

	/** A step threw an unexpected exception, or the job could not be run. Final. */
	FAILED(5),

	/** A step threw {@link AbortJob}. Final. */
	ABORTED(6),

	/**
	 * Created and not yet put on the queue (Python Ergate's publisher writes it). Ergate for Java
	 * never writes it, and runs a job it takes in this status like a {@link #QUEUED} one.
	 */
	PENDING(7),

	/**
	 * A cancel was requested while a worker held the job: when its step ends the job becomes
	 * {@link #CANCELLED} if more steps would run, else it ends as the step made it end
	 * ({@link #COMPLETED}, {@link #FAILED} or {@link #ABORTED}).
	 */
	CANCELLING(8),

	/** Cancelled: no further step runs. Final; {@link Ergate#retry(Object)} runs it again. */
	CANCELLED(9);

	private static final JobStatus[] BY_CODE = values();

	private final int code;

	JobStatus(int code) {
		this.code = code;
	}

	/**
	 * Returns the integer code of this status in the numbering of Python Ergate 0.1 and later,
	 * {@link JobJsonFormat.StatusNumbering#SCHEDULED_FIRST}; the job JSON uses the numbering of its
	 * {@link JobJsonFormat}.
	 * @return the code, from 1 ({@link #SCHEDULED}) to 9 ({@link #CANCELLED})
	 */
	public int code() {
		return this.code;
	}

	/**
	 * Tells whether a job in this status is done: it is never put on the queue again.
	 * @return {@code true} for {@link #COMPLETED}, {@link #FAILED}, {@link #ABORTED} and
	 * {@link #CANCELLED}
	 */
	public boolean isFinal() {
		return this == COMPLETED || this == FAILED || this == ABORTED || this == CANCELLED;
	}

	/**
	 * Returns the status with the given code in the numbering of {@link #code()}.
	 * @param code a code from 1 to 9
	 * @return the status, or {@code null} when no status has that code
	 */
	public static @Nullable JobStatus fromCode(int code) {
		return (code >= 1 && code <= BY_CODE.length) ? BY_CODE[code - 1] : null;
	}

	/**
	 * Returns the status named by the given text: its name (any case) or its {@link #code()}.
	 * @param text a name such as {@code "QUEUED"} or a code such as {@code "2"}
	 * @return the status, or {@code null} when the text names none
	 */
	public static @Nullable JobStatus parse(String text) {
		String trimmed = text.trim();
		for (JobStatus status : BY_CODE) {
			if (status.name().equalsIgnoreCase(trimmed)) {
				return status;
			}
		}
		try {
			return fromCode(Integer.parseInt(trimmed));
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

}
