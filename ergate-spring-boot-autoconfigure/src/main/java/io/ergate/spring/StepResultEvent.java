package io.ergate.spring;

import io.ergate.StepResult;

/**
 * An event about the end of one step run: what the step did, with the job's new state.
 */
public abstract class StepResultEvent extends ErgateJobEvent {

	private static final long serialVersionUID = 1L;

	private final transient StepResult result;

	/**
	 * Creates the event.
	 * @param result what the step did; its job is the event's job
	 */
	protected StepResultEvent(StepResult result) {
		super(result.job());
		this.result = result;
	}

	/**
	 * Returns what the step did: its name, outcome, duration and, when it failed, the error.
	 * @return the step result
	 */
	public StepResult getResult() {
		return this.result;
	}

}
