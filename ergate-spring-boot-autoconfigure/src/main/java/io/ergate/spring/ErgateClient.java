package io.ergate.spring;

import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

import io.ergate.Ergate;
import io.ergate.Job;
import io.ergate.QueryableStateStore;
import io.ergate.StateStore;
import io.ergate.UnknownWorkflowException;
import org.jspecify.annotations.Nullable;

/**
 * Submits jobs to Ergate: records each new job's initial state in the state store and puts it on
 * the queue, where a worker (in this application or another one sharing the queue) takes it. Then
 * reads a job's state back, or waits for it to finish, when the state store is a
 * {@link QueryableStateStore} (the in-memory default and {@code ergate-jdbc}'s are).
 * <pre>{@code
 * String id = client.submit("my_first_workflow", 21, null);
 * Job done = client.await(id, Duration.ofSeconds(10));   // COMPLETED, last_return_value 22
 * }</pre>
 * With a store that cannot be read back, {@link #status(Object)} and {@link #await(Object, Duration)}
 * throw an {@link UnsupportedOperationException} naming the store; follow the jobs with the
 * {@link ErgateJobEvent}s instead.
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

	/**
	 * Returns the latest recorded state of a job, read from the state store.
	 * @param id the job's id, as {@link #submit} returned it
	 * @return the job's state (its {@code status}, {@code step_name}, {@code percent_completed},
	 * {@code last_return_value}, ...), or empty when the store knows no job of that id
	 * @throws UnsupportedOperationException when the state store is not a {@link QueryableStateStore}
	 */
	public Optional<Job> status(Object id) {
		Objects.requireNonNull(id, "id");
		return queryableStore().findById(id);
	}

	/**
	 * Waits until a job reaches a final status ({@code COMPLETED}, {@code FAILED} or {@code ABORTED})
	 * and returns that state, reading the state store every few milliseconds (up to every 200 ms for
	 * long waits). The job may run on any worker sharing the queue and store.
	 * @param id the job's id, as {@link #submit} returned it
	 * @param timeout how long to wait at most
	 * @return the job's final state
	 * @throws NoSuchElementException when the store knows no job of that id
	 * @throws TimeoutException when the job is not finished within the timeout; the message tells its
	 * last recorded status and step
	 * @throws InterruptedException when the calling thread is interrupted while waiting
	 * @throws UnsupportedOperationException when the state store is not a {@link QueryableStateStore}
	 */
	public Job await(Object id, Duration timeout) throws TimeoutException, InterruptedException {
		Objects.requireNonNull(id, "id");
		QueryableStateStore store = queryableStore();
		long deadline = System.nanoTime() + timeout.toNanos();
		long pause = 2;
		while (true) {
			Job job = store.findById(id)
				.orElseThrow(() -> new NoSuchElementException("No job with id \"" + id + "\" is known to the state store"));
			if (job.status().isFinal()) {
				return job;
			}
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				throw new TimeoutException("Job \"" + id + "\" did not finish within " + timeout + ": it is "
						+ job.status() + " at step " + job.stepName() + " (" + job.percentCompleted() + " %)");
			}
			Thread.sleep(Math.max(1, Math.min(pause, left / 1_000_000)));
			pause = Math.min(pause * 2, 200);
		}
	}

	private QueryableStateStore queryableStore() {
		StateStore store = this.ergate.stateStore();
		if (store instanceof QueryableStateStore queryable) {
			return queryable;
		}
		throw new UnsupportedOperationException("The state store (" + store.getClass().getName()
				+ ") cannot be read back, so the client cannot tell a job's status: declare a StateStore bean that "
				+ "implements QueryableStateStore (ergate-jdbc's JdbcStateStore does), or follow jobs with "
				+ "ErgateJobEvent listeners");
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
