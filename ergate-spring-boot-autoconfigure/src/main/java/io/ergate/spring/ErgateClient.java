package io.ergate.spring;

import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

import io.ergate.Ergate;
import io.ergate.FencingStateStore;
import io.ergate.Job;
import io.ergate.JobOperations;
import io.ergate.JobStatus;
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
 * <p>
 * It also acts on jobs that were submitted: {@link #cancel(Object)}, {@link #retry(Object)},
 * {@link #retryAll(String, JobStatus)}, {@link #delete(Object)} and {@link #jobs(String, JobStatus, int, int)},
 * with the semantics of the {@link Ergate} methods of the same names. They work wherever the engine is,
 * also in an application that runs no worker ({@code ergate.worker.enabled=false}): a cancel or a
 * requeue is recorded in the shared state store (and the requeued job put on the shared queue), where
 * every worker sees it. Cancel and retry need a {@link FencingStateStore} (the in-memory default and
 * {@code ergate-jdbc}'s {@code JdbcStateStore} are, also with RabbitMQ as the queue); listing, bulk
 * retry and delete a {@link QueryableStateStore}; with another store they throw an
 * {@link UnsupportedOperationException} naming what is missing.
 * <p>
 * Each submission goes through the client's {@link JobSubmissionInterceptor}s (the auto-configuration
 * passes every such bean, in order), which may for example carry a trace context in the job's
 * metadata. The auto-configuration provides one as a bean.
 */
public class ErgateClient implements JobOperations {

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
	 * Cancels a job. A {@code QUEUED} or {@code SCHEDULED} job (also one waiting between two attempts)
	 * becomes {@code CANCELLED} at once and runs no further step. A job whose step is running, which
	 * includes a job a worker has already claimed, becomes {@code CANCELLING}: the step can see it
	 * ({@code StepContext.cancelRequested()}, and its thread is interrupted with
	 * {@code ergate.worker.interrupt-on-cancel=true}), and when the step ends the job is
	 * {@code CANCELLED} if more steps would run, else it ends as the step made it end. A job in a final
	 * status is left as it is.
	 * @param id the job's id
	 * @return the job's state after the request ({@code CANCELLED}, {@code CANCELLING}, or its unchanged
	 * final status); empty when the store knows no job of that id
	 * @throws UnsupportedOperationException when the state store is not a {@link FencingStateStore}
	 */
	@Override
	public Optional<Job> cancel(Object id) {
		return this.ergate.cancel(Objects.requireNonNull(id, "id"));
	}

	/**
	 * Runs a {@code FAILED}, {@code ABORTED} or {@code CANCELLED} job again, from the step where it
	 * stopped, with that step's input: it is recorded {@code QUEUED}, its attempts counted from 1 again,
	 * and put on the queue.
	 * @param id the job's id
	 * @return the job as requeued; empty when the store knows no job of that id
	 * @throws IllegalStateException when the job is in another status (the message says which)
	 * @throws UnknownWorkflowException when the job's workflow is not registered here
	 * @throws UnsupportedOperationException when the state store is not a {@link FencingStateStore}
	 */
	@Override
	public Optional<Job> retry(Object id) {
		return this.ergate.retry(Objects.requireNonNull(id, "id"));
	}

	/**
	 * Runs again, as {@link #retry(Object)} does, every job of a workflow in a status; a job whose
	 * status changes meanwhile is left as it is.
	 * @param workflowName the workflow
	 * @param status {@code FAILED}, {@code ABORTED} or {@code CANCELLED}
	 * @return how many jobs were requeued
	 * @throws UnsupportedOperationException when the state store is not a {@link QueryableStateStore}
	 * and a {@link FencingStateStore}
	 */
	@Override
	public int retryAll(String workflowName, JobStatus status) {
		return this.ergate.retryAll(Objects.requireNonNull(workflowName, "workflowName"),
				Objects.requireNonNull(status, "status"));
	}

	/**
	 * Deletes the recorded state of a job in a final status ({@code COMPLETED}, {@code FAILED},
	 * {@code ABORTED}, {@code CANCELLED}).
	 * @param id the job's id
	 * @return {@code true} when deleted; {@code false} when the store knows no job of that id
	 * @throws IllegalStateException when the job is not in a final status (cancel it first)
	 * @throws UnsupportedOperationException when the state store is not a {@link QueryableStateStore}
	 */
	@Override
	public boolean delete(Object id) {
		return this.ergate.delete(Objects.requireNonNull(id, "id"));
	}

	/**
	 * Returns a page of recorded jobs, most recently created first.
	 * @param workflowName only jobs of this workflow, or {@code null} for all
	 * @param status only jobs in this status, or {@code null} for all
	 * @param offset how many matching jobs to skip, 0 or more
	 * @param limit the most jobs to return, 1 or more
	 * @return the jobs
	 * @throws IllegalArgumentException when the offset is negative or the limit below 1
	 * @throws UnsupportedOperationException when the state store is not a {@link QueryableStateStore}
	 */
	@Override
	public List<Job> jobs(@Nullable String workflowName, @Nullable JobStatus status, int offset, int limit) {
		if (offset < 0 || limit < 1) {
			throw new IllegalArgumentException("jobs needs offset >= 0 and limit >= 1, was offset " + offset
					+ " and limit " + limit);
		}
		return this.ergate.jobs(workflowName, status, offset, limit);
	}

	/**
	 * Waits until a job reaches a final status ({@code COMPLETED}, {@code FAILED}, {@code ABORTED} or
	 * {@code CANCELLED})
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
