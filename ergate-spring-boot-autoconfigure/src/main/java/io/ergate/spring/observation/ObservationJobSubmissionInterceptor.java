package io.ergate.spring.observation;

import java.util.Map;
import java.util.Objects;

import io.ergate.Ergate;
import io.ergate.Job;
import io.ergate.spring.ErgateClient;
import io.ergate.spring.JobSubmissionInterceptor;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;

/**
 * Observes every submission made through the {@link ErgateClient}: starts an observation whose
 * {@link ErgateSubmitObservationContext} lets a tracing handler write the trace context, and puts
 * that context into the job's {@link Job#metadata() metadata} (the JSON field {@code metadata}), which
 * travels with the job through every step: each step's observation continues the trace, so a whole
 * job is one trace even across workers.
 */
public class ObservationJobSubmissionInterceptor implements JobSubmissionInterceptor, Ordered {

	/** The default order: outermost. */
	public static final int DEFAULT_ORDER = Ordered.HIGHEST_PRECEDENCE + 1000;

	private final ObservationRegistry registry;

	private final Ergate ergate;

	private final @Nullable ErgateSubmitObservationConvention convention;

	private int order = DEFAULT_ORDER;

	/**
	 * Creates an interceptor.
	 * @param registry where observations go
	 * @param ergate the engine, to tell registered workflow names from others
	 * @param convention replaces the default convention, or {@code null}
	 */
	public ObservationJobSubmissionInterceptor(ObservationRegistry registry, Ergate ergate,
			@Nullable ErgateSubmitObservationConvention convention) {
		this.registry = Objects.requireNonNull(registry, "registry");
		this.ergate = Objects.requireNonNull(ergate, "ergate");
		this.convention = convention;
	}

	@Override
	@SuppressWarnings("try") // the scope makes the observation current during the submission
	public Job intercept(Job job, JobSubmission submission) {
		String workflowTag = this.ergate.workflow(job.workflowName()).isPresent() ? job.workflowName() : "unknown";
		ErgateSubmitObservationContext context = new ErgateSubmitObservationContext(job, workflowTag);
		Observation observation = Observation.createNotStarted(this.convention,
				DefaultErgateSubmitObservationConvention.INSTANCE, () -> context, this.registry);
		observation.start();
		try (Observation.Scope scope = observation.openScope()) {
			Map<String, String> carrier = context.getCarrier();
			Job traced = job;
			if (carrier != null && !carrier.isEmpty()) {
				Job.Builder builder = job.toBuilder();
				carrier.forEach(builder::metadata);
				traced = builder.build();
			}
			Job submitted = submission.submit(traced);
			context.setJobId(submitted.id());
			return submitted;
		}
		catch (RuntimeException ex) {
			observation.error(ex);
			throw ex;
		}
		finally {
			observation.stop();
		}
	}

	@Override
	public int getOrder() {
		return this.order;
	}

	/**
	 * Sets the order among the client's interceptors.
	 * @param order default {@link #DEFAULT_ORDER}
	 */
	public void setOrder(int order) {
		this.order = order;
	}

}
