package io.ergate.spring.observation;

import io.ergate.Job;
import io.micrometer.observation.transport.ReceiverContext;
import org.jspecify.annotations.Nullable;

/**
 * The context of the observation of one step run. It is a {@link ReceiverContext} whose carrier is
 * the job: a tracing handler reads the trace context the submission wrote into the job's
 * {@link Job#metadata() metadata}, so every step of a job continues the job's trace.
 */
public class ErgateStepObservationContext extends ReceiverContext<Job> {

	private final String stepName;

	private @Nullable String outcome;

	/**
	 * Creates the context of one step run.
	 * @param job the running job
	 * @param stepName the step about to run
	 */
	public ErgateStepObservationContext(Job job, String stepName) {
		super((carrier, key) -> carrier.metadata().get(key));
		setCarrier(job);
		setRemoteServiceName("ergate");
		this.stepName = stepName;
	}

	/**
	 * Returns the running job.
	 * @return the job
	 */
	public Job getJob() {
		Job job = getCarrier();
		if (job == null) {
			throw new IllegalStateException("no job");
		}
		return job;
	}

	/**
	 * Returns the step that runs.
	 * @return the step name
	 */
	public String getStepName() {
		return this.stepName;
	}

	/**
	 * Returns how the step ended: {@code next}, {@code goto}, {@code end}, {@code abort} or
	 * {@code failed}.
	 * @return the outcome, {@code null} while the step runs
	 */
	public @Nullable String getOutcome() {
		return this.outcome;
	}

	/**
	 * Sets how the step ended.
	 * @param outcome the outcome
	 */
	public void setOutcome(@Nullable String outcome) {
		this.outcome = outcome;
	}

}
