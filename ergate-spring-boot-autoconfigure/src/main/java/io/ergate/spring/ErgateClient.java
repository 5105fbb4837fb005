package io.ergate.spring;

import java.util.List;
import java.util.Objects;

import io.ergate.Ergate;
import io.ergate.Job;
import io.ergate.UnknownWorkflowException;
import org.jspecify.annotations.Nullable;

/**
 * Submits jobs to Ergate: records each new job's initial state in the state store and puts it on
 * the queue, where a worker (in this application or another one sharing the queue) takes it.
 * <pre>{@code
 * String id = client.submit("my_first_workflow", 21, null);
 * }</pre>
 * Each submission goes through the client's {@link JobSubmissionInterceptor}s (the auto-configuration
 * passes every such bean, in order), which may for example carry a trace context in the job's
 * metadata. The auto-configuration provides one as a bean.
 */
public class ErgateClient {

	private final Ergate ergate;

	private final JobSubmissionInterceptor[] interceptors;

	/**
	 * Creates a client submitting to the given engine.
	 * @param ergate the engine whose workflows, queue and store are used
	 */
	public ErgateClient(Ergate ergate) {
		this(ergate, List.of());
	}

	/**
	 * Creates a client submitting to the given engine through interceptors.
	 * @param ergate the engine whose workflows, queue and store are used
	 * @param interceptors wrap every submission; the first is the outermost
	 */
	public ErgateClient(Ergate ergate, List<JobSubmissionInterceptor> interceptors) {
		this.ergate = Objects.requireNonNull(ergate, "ergate");
		this.interceptors = interceptors.toArray(new JobSubmissionInterceptor[0]);
	}

	/**
	 * Submits a new job of the named workflow, with a generated id.
	 * @param workflowName the name of a registered workflow
	 * @param initialInputValue the first step's input, any value Jackson can write, or {@code null}
	 * @param userContext the context every step can read, any value Jackson can write, or
	 * {@code null}
	 * @return the job's id, a random UUID
	 * @throws UnknownWorkflowException when no workflow of that name is registered
	 */
	public String submit(String workflowName, @Nullable Object initialInputValue, @Nullable Object userContext) {
		Job job = Job.builder(workflowName).initialInputValue(initialInputValue).userContext(userContext).build();
		return String.valueOf(submitJob(job).id());
	}

	/**
	 * Submits a new job as given, generating an id when it has none. Its status is set to
	 * {@code QUEUED} (or {@code SCHEDULED} when its {@code requested_start_time} is in the future).
	 * @param job the new job
	 * @return the job's id: the one it had, or a random UUID string
	 * @throws UnknownWorkflowException when no workflow of the job's name is registered
	 */
	public Object submit(Job job) {
		return Objects.requireNonNull(submitJob(job).id());
	}

	private Job submitJob(Job job) {
		return (this.interceptors.length == 0) ? this.ergate.submit(job) : submit(job, 0);
	}

	private Job submit(Job job, int interceptor) {
		if (interceptor == this.interceptors.length) {
			return this.ergate.submit(job);
		}
		return this.interceptors[interceptor].intercept(job, (next) -> submit(next, interceptor + 1));
	}

}
