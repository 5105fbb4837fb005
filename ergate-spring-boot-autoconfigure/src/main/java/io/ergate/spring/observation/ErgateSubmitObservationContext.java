package io.ergate.spring.observation;

import java.util.LinkedHashMap;
import java.util.Map;

import io.ergate.Job;
import io.micrometer.observation.transport.SenderContext;
import org.jspecify.annotations.Nullable;

/**
 * The context of the observation of one job submission. It is a {@link SenderContext} whose carrier
 * is a map: a tracing handler writes the trace context into it when the observation starts, and the
 * entries go into the job's {@link Job#metadata() metadata}.
 */
public class ErgateSubmitObservationContext extends SenderContext<Map<String, String>> {

	private final Job job;

	private final String workflowTag;

	private @Nullable Object jobId;

	/**
	 * Creates the context of one submission.
	 * @param job the job about to be submitted
	 * @param workflowTag the workflow's name when it is registered, {@code unknown} otherwise, so that
	 * a wrong name does not become a new tag value
	 */
	public ErgateSubmitObservationContext(Job job, String workflowTag) {
		super((carrier, key, value) -> {
			if (carrier != null) {
				carrier.put(key, value);
			}
		});
		setCarrier(new LinkedHashMap<>());
		setRemoteServiceName("ergate");
		this.job = job;
		this.workflowTag = workflowTag;
		this.jobId = job.id();
	}

	/**
	 * Returns the job about to be submitted.
	 * @return the job
	 */
	public Job getJob() {
		return this.job;
	}

	/**
	 * Returns the workflow name to tag the observation with.
	 * @return the name, or {@code unknown}
	 */
	public String getWorkflowTag() {
		return this.workflowTag;
	}

	/**
	 * Returns the job's id.
	 * @return the id, {@code null} until the engine has given one
	 */
	public @Nullable Object getJobId() {
		return this.jobId;
	}

	/**
	 * Sets the job's id once submitted.
	 * @param jobId the id
	 */
	public void setJobId(@Nullable Object jobId) {
		this.jobId = jobId;
	}

}
