package io.ergate.spring;

import io.ergate.StepResult;

/**
 * An event about the end of one step run: what the step did, with the job's new state.
 * {@link #getStepName()} is the step that ran; the job's {@code step_name} is the step it is at
 * now, the next one when the job goes on.
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
	 * Returns the name of the step that ran (or was to run, when the job could not be run). For a
	 * job that goes on, {@code getJob().stepName()} is already the step that runs next.
	 * @return the step's name
	 */
	public String getStepName() {
		return this.result.stepName();
	}

	/**
	 * Returns what the step did: its name, outcome, duration and, when it failed, the error.
	 * @return the step result
	 */
	public StepResult getResult() {
		return this.result;
	}

}
