package io.ergate.spring;

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
 * The auto-configuration provides one as a bean.
 */
public class ErgateClient {

	private final Ergate ergate;

	/**
	 * Creates a client submitting to the given engine.
	 * @param ergate the engine whose workflows, queue and store are used
	 */
	public ErgateClient(Ergate ergate) {
		this.ergate = Objects.requireNonNull(ergate, "ergate");
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
		Job submitted = this.ergate.submit(workflowName, initialInputValue, userContext);
		return String.valueOf(submitted.id());
	}

	/**
	 * Submits a new job as given, generating an id when it has none. Its status is set to
	 * {@code QUEUED} (or {@code SCHEDULED} when its {@code requested_start_time} is in the future).
	 * @param job the new job
	 * @return the job's id: the one it had, or a random UUID string
	 * @throws UnknownWorkflowException when no workflow of the job's name is registered
	 */
	public Object submit(Job job) {
		return Objects.requireNonNull(this.ergate.submit(job).id());
	}

}
