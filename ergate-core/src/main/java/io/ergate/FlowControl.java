package io.ergate;

import org.jspecify.annotations.Nullable;

/**
 * An exception a step throws to steer its job: {@link GoToStep}, {@link GoToEnd} or
 * {@link AbortJob}. These are expected outcomes, not errors: they carry no stack trace.
 */
public abstract sealed class FlowControl extends RuntimeException permits GoToStep, GoToEnd, AbortJob {

	private static final long serialVersionUID = 1L;

	FlowControl(@Nullable String message) {
		super(message, null, false, false);
	}

}
