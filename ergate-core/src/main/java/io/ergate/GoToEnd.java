package io.ergate;

import org.jspecify.annotations.Nullable;

/**
 * Thrown by a step to finish its job early: the job is {@link JobStatus#COMPLETED} and no further
 * step runs.
 */
public final class GoToEnd extends FlowControl {

	private static final long serialVersionUID = 1L;

	private final transient @Nullable Object returnValue;

	/**
	 * Completes the job with a {@code null} return value.
	 */
	public GoToEnd() {
		this(null);
	}

	/**
	 * Completes the job with a return value.
	 * @param returnValue this step's return value, the job's last
	 */
	public GoToEnd(@Nullable Object returnValue) {
		super("Go to end");
		this.returnValue = returnValue;
	}

	/**
	 * Returns the value this step returns.
	 * @return the value, possibly {@code null}
	 */
	public @Nullable Object returnValue() {
		return this.returnValue;
	}

}
