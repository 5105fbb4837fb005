package io.ergate.spring.actuate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import io.ergate.Ergate;
import io.ergate.Job;
import io.ergate.JobStatus;
import io.ergate.MeasurableJobQueue;
import io.ergate.PathHint;
import io.ergate.QueryableStateStore;
import io.ergate.WorkerStatus;
import io.ergate.Workflow;
import io.ergate.autoconfigure.ErgateProperties;
import io.ergate.spring.ErgateWorker;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code ergate} Actuator endpoint: the registered workflows with their ordered steps and path
 * hints, the worker's configuration and state, the queue's depth when it can tell, and, when the state
 * store is a {@link QueryableStateStore}, the number of jobs in each status. Like every endpoint but
 * {@code health}, it is not exposed over HTTP unless the application lists it in
 * {@code management.endpoints.web.exposure.include}.
 * <p>
 * Its write operation cancels a job or runs a finished one again ({@code POST
 * /actuator/ergate/{id}/cancel}, {@code POST /actuator/ergate/{id}/retry}). Its default access is
 * read-only, so the operation exists only once the application grants it with
 * {@code management.endpoint.ergate.access=unrestricted} (and secures the endpoint).
 */
@Endpoint(id = "ergate", defaultAccess = Access.READ_ONLY)
public class ErgateEndpoint {

	private final Ergate ergate;

	private final ErgateProperties properties;

	private final @Nullable ErgateWorker worker;

	/**
	 * Creates the endpoint.
	 * @param ergate the engine
	 * @param properties the {@code ergate.*} settings
	 * @param worker the managed worker, {@code null} when this application runs none
	 */
	public ErgateEndpoint(Ergate ergate, ErgateProperties properties, @Nullable ErgateWorker worker) {
		this.ergate = Objects.requireNonNull(ergate, "ergate");
		this.properties = Objects.requireNonNull(properties, "properties");
		this.worker = worker;
	}

	/**
	 * Describes the engine.
	 * @return the description
	 */
	@ReadOperation
	public ErgateDescriptor ergate() {
		List<WorkflowDescriptor> workflows = this.ergate.workflows().stream().map(ErgateEndpoint::describe).toList();
		return new ErgateDescriptor(workflows, worker(), queue(), jobs());
	}

	/**
	 * Cancels a job ({@link Ergate#cancel(Object)}) or runs it again ({@link Ergate#retry(Object)}).
	 * @param id the job's id
	 * @param action {@code cancel} or {@code retry}
	 * @return the job's state after the action; {@code null} (404 over HTTP) for an unknown job
	 * @throws InvalidEndpointRequestException (400 over HTTP) for another action, a job that cannot be
	 * retried in its status, or a store that cannot do it, with the reason
	 */
	@WriteOperation
	public @Nullable JobDescriptor job(@Selector String id, @Selector String action) {
		try {
			return switch (action) {
				case "cancel" -> this.ergate.cancel(id).map(JobDescriptor::of).orElse(null);
				case "retry" -> this.ergate.retry(id).map(JobDescriptor::of).orElse(null);
				default -> throw new InvalidEndpointRequestException("Unknown action \"" + action
						+ "\": use cancel or retry", "Unknown action");
			};
		}
		catch (IllegalStateException | UnsupportedOperationException ex) {
			throw new InvalidEndpointRequestException(String.valueOf(ex.getMessage()), String.valueOf(ex.getMessage()));
		}
	}

	private static WorkflowDescriptor describe(Workflow workflow) {
		return new WorkflowDescriptor(workflow.name(), workflow.steps()
			.stream()
			.map((step) -> new StepDescriptor(step.name(), step.pathHints().stream().map(PathHint::toString).toList()))
			.toList());
	}

	private WorkerDescriptor worker() {
		WorkerStatus status = this.ergate.status();
		ErgateProperties.Worker settings = this.properties.getWorker();
		boolean enabled = this.worker != null;
		return new WorkerDescriptor(enabled, status.state().name().toLowerCase(Locale.ROOT),
				(this.worker != null) ? this.worker.getConcurrency() : settings.getConcurrency(), status.workers(),
				status.busy(), status.consecutiveFailures(), status.lastError(),
				(status.lastErrorTime() != null) ? status.lastErrorTime().toString() : null,
				settings.getThreadNamePrefix(), settings.getVirtualThreads(), settings.isAutoStartup(),
				((this.worker != null) ? this.worker.getShutdownTimeout() : settings.getShutdownTimeout()).toString(),
				settings.getBackoff().getInitial().toString(), settings.getBackoff().getMax().toString());
	}

	private QueueDescriptor queue() {
		Long depth = null;
		if (this.ergate.queue() instanceof MeasurableJobQueue measurable) {
			long value = measurable.depth();
			depth = (value >= 0) ? value : null;
		}
		return new QueueDescriptor(this.ergate.queue().getClass().getName(),
				this.ergate.stateStore().getClass().getName(), depth);
	}

	private @Nullable Map<String, Long> jobs() {
		if (!(this.ergate.stateStore() instanceof QueryableStateStore store)) {
			return null;
		}
		Map<JobStatus, Long> counts = store.countByStatus();
		Map<String, Long> jobs = new LinkedHashMap<>();
		for (JobStatus status : JobStatus.values()) {
			jobs.put(status.name(), counts.getOrDefault(status, 0L));
		}
		return jobs;
	}

	/**
	 * What the endpoint returns.
	 *
	 * @param workflows the registered workflows, by name
	 * @param worker the worker's configuration and state
	 * @param queue the queue and the store
	 * @param jobs the number of jobs in each status, {@code null} when the store cannot be queried
	 */
	public record ErgateDescriptor(List<WorkflowDescriptor> workflows, WorkerDescriptor worker, QueueDescriptor queue,
			@Nullable Map<String, Long> jobs) {

	}

	/**
	 * A job's state after a write operation.
	 *
	 * @param id its id
	 * @param workflow its workflow
	 * @param step the step it is at
	 * @param status its status: {@code CANCELLED} or {@code CANCELLING} after a cancel (or its final
	 * status, unchanged), {@code QUEUED} after a retry
	 * @param attempt which attempt of its step runs next
	 */
	public record JobDescriptor(String id, String workflow, @Nullable String step, String status, int attempt) {

		static JobDescriptor of(Job job) {
			return new JobDescriptor(String.valueOf(job.id()), job.workflowName(), job.stepName(), job.status().name(),
					job.attempt());
		}

	}

	/**
	 * A registered workflow.
	 *
	 * @param name its name
	 * @param steps its steps, in order
	 */
	public record WorkflowDescriptor(String name, List<StepDescriptor> steps) {

	}

	/**
	 * A step.
	 *
	 * @param name its name
	 * @param pathHints the exits it may take, as {@link PathHint#toString()} writes them: {@code next},
	 * {@code goTo(<step>)}, {@code end} (the sample's {@code GET /workflows} uses the same spelling);
	 * empty when it declared none (it always goes on to the next step)
	 */
	public record StepDescriptor(String name, List<String> pathHints) {

	}

	/**
	 * The worker.
	 *
	 * @param enabled whether this application runs a worker ({@code ergate.worker.enabled})
	 * @param state {@code running}, {@code stopping} or {@code stopped}
	 * @param concurrency how many jobs may run at once
	 * @param threads live worker loops
	 * @param busy loops running a step now
	 * @param consecutiveFailures failures of the queue or store in a row, 0 when the last job went
	 * through
	 * @param lastError the last such failure, if any
	 * @param lastErrorTime when it happened
	 * @param threadNamePrefix the worker threads' name prefix
	 * @param virtualThreads whether virtual threads were asked for, {@code null} when not set
	 * @param autoStartup whether the worker starts with the context
	 * @param shutdownTimeout how long a stop waits for the steps in flight
	 * @param backoffInitial the first wait after a failure
	 * @param backoffMax the longest wait after failures
	 */
	public record WorkerDescriptor(boolean enabled, String state, int concurrency, int threads, int busy,
			int consecutiveFailures, @Nullable String lastError, @Nullable String lastErrorTime, String threadNamePrefix,
			@Nullable Boolean virtualThreads, boolean autoStartup, String shutdownTimeout, String backoffInitial,
			String backoffMax) {

	}

	/**
	 * The queue and the store.
	 *
	 * @param type the queue's class
	 * @param store the store's class
	 * @param depth jobs waiting in the queue, {@code null} when it cannot tell
	 */
	public record QueueDescriptor(String type, String store, @Nullable Long depth) {

	}

}
