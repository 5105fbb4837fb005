package io.ergate;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import io.ergate.memory.InMemoryJobQueue;
import io.ergate.memory.InMemoryStateStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * An Ergate application: a queue, a state store and the registered workflows, with the worker loop
 * that runs their jobs one step at a time.
 * <pre>{@code
 * Ergate app = new Ergate(new InMemoryJobQueue(), new InMemoryStateStore());
 * app.registerWorkflow(workflow);
 * app.run(); // blocks, processing jobs, until the thread is interrupted or stop() is called
 * }</pre>
 * For each job taken, a worker resolves the workflow and the step ({@code step_name} {@code null}:
 * the first), records the job as {@link JobStatus#RUNNING}, runs the step, computes the job's next
 * state and progress, records it, and puts the job back on the queue unless its status is final.
 * <p>
 * {@link #run()} runs one worker on the calling thread and, as in the original Ergate, lets
 * exceptions from the queue and the store propagate. {@link #start(int)} runs several workers in the
 * background that log such exceptions, back off and go on. {@link #stop(Duration)} stops taking jobs
 * and lets the steps in flight finish: a graceful stop never abandons a step halfway.
 * <p>
 * With a plain {@link JobQueue} a job is removed from the queue when taken; with a
 * {@link ReliableJobQueue} it is acknowledged only once its successor is on the queue or its final
 * state is stored, so every step runs at least once.
 */
public final class Ergate implements JobOperations, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(Ergate.class);

	private final JobQueue queue;

	private final StateStore stateStore;

	private final WorkflowRegistry registry;

	private final StepBinder binder;

	private final JobRunner runner;

	private final Delayer delayer;

	private final WorkerPool workers;

	private final JobControl control;

	private final Clock clock;

	/**
	 * Creates an application with the default settings.
	 * @param queue where jobs wait
	 * @param stateStore where job states are recorded
	 */
	public Ergate(JobQueue queue, StateStore stateStore) {
		this(builder(queue, stateStore));
	}

	private Ergate(Builder builder) {
		this.queue = builder.queue;
		this.stateStore = builder.stateStore;
		this.clock = builder.clock;
		this.registry = new WorkflowRegistry(builder.defaultRetry, builder.defaultStepTimeout);
		ComponentFactory factory = (builder.componentFactory != null) ? builder.componentFactory
				: WorkflowRegistry::instantiate;
		this.binder = new StepBinder(new PayloadConverter(builder.jsonMapper), builder.parameterResolvers, factory);
		this.delayer = new Delayer(this.queue, this.clock);
		StepWatch watch = StepWatch.of(this.stateStore, builder.interruptOnCancel, builder.cancelCheckInterval,
				builder.stuckStepGrace);
		this.runner = new JobRunner(this.registry, this.queue, this.stateStore, this.binder, builder.listeners,
				builder.interceptors, this.delayer, this.clock,
				// a plain queue cannot count deliveries: its jobs are not given back
				(this.queue instanceof ReliableJobQueue) ? builder.unknownWorkflowAttempts : 1, watch);
		this.workers = new WorkerPool(this.queue, this.runner, this.clock, builder.backoffInitial, builder.backoffMax,
				builder.poisonAttempts, builder.fatalErrorHandler);
		this.control = new JobControl(this.queue, this.stateStore, this.registry, this.runner, this.delayer,
				this.workers, this.clock);
	}

	/**
	 * Starts configuring an application.
	 * @param queue where jobs wait
	 * @param stateStore where job states are recorded
	 * @return a builder
	 */
	public static Builder builder(JobQueue queue, StateStore stateStore) {
		return new Builder(queue, stateStore);
	}

	/**
	 * Registers a workflow: binds every step parameter now, so that a definition the engine cannot
	 * run fails here rather than on a job.
	 * @param workflow the workflow
	 * @return this application
	 * @throws InvalidDefinitionException when a workflow of that name is already registered or a
	 * step parameter cannot be supplied
	 */
	public Ergate registerWorkflow(Workflow workflow) {
		this.registry.register(workflow, this.binder);
		logger.debug("Registered {}", workflow);
		return this;
	}

	/**
	 * Returns the registered workflows, by name.
	 * @return the workflows
	 */
	public List<Workflow> workflows() {
		return this.registry.workflows();
	}

	/**
	 * Returns the registered workflow of the given name.
	 * @param name a workflow name
	 * @return the workflow, if registered
	 */
	public Optional<Workflow> workflow(String name) {
		RegisteredWorkflow registered = this.registry.get(name);
		return (registered != null) ? Optional.of(registered.workflow()) : Optional.empty();
	}

	/**
	 * Returns the queue this application takes jobs from.
	 * @return the queue
	 */
	public JobQueue queue() {
		return this.queue;
	}

	/**
	 * Returns the store this application records job states in.
	 * @return the store
	 */
	public StateStore stateStore() {
		return this.stateStore;
	}

	/**
	 * Submits a new job: checks its workflow is registered, gives it a random UUID as id when it has
	 * none, records its initial state ({@link JobStatus#QUEUED}, or {@link JobStatus#SCHEDULED} when
	 * its start time is in the future) and puts it on the queue; a {@link ReliableJobQueue} does both
	 * through {@link ReliableJobQueue#submit(Job, StateStore)}, atomically where it can.
	 * @param job the new job
	 * @return the job as submitted, with its id
	 * @throws UnknownWorkflowException when no workflow of the job's name is registered
	 */
	public Job submit(Job job) {
		return this.control.submit(job);
	}

	/**
	 * Submits a new job of the named workflow.
	 * @param workflowName a registered workflow
	 * @param initialInputValue the first step's input
	 * @param userContext the context every step can read
	 * @return the job as submitted, with its generated id
	 * @throws UnknownWorkflowException when no workflow of that name is registered
	 */
	public Job submit(String workflowName, @Nullable Object initialInputValue, @Nullable Object userContext) {
		return submit(Job.builder(workflowName).initialInputValue(initialInputValue).userContext(userContext).build());
	}

	@Override
	public Optional<Job> cancel(Object id) {
		return this.control.cancel(id);
	}

	@Override
	public Optional<Job> retry(Object id) {
		return this.control.retry(id);
	}

	@Override
	public int retryAll(String workflowName, JobStatus status) {
		return this.control.retryAll(workflowName, status);
	}

	@Override
	public boolean delete(Object id) {
		return this.control.delete(id);
	}

	@Override
	public List<Job> jobs(@Nullable String workflowName, @Nullable JobStatus status, int offset, int limit) {
		return this.control.jobs(workflowName, status, offset, limit);
	}

	/**
	 * Runs one worker on the calling thread, processing jobs until the thread is interrupted (the
	 * Java analogue of Ctrl-C) or {@link #stop(Duration)} is called. Exceptions thrown by the queue
	 * or the store are logged with the job they concerned and propagate, as in the original Ergate;
	 * the job's delivery is released first, so a reliable queue delivers it again.
	 */
	public void run() {
		this.workers.run();
	}

	/**
	 * Starts workers on threads of their own, named {@code ergate-worker-N}.
	 * @param concurrency how many jobs may run at once
	 */
	public void start(int concurrency) {
		this.workers.start(concurrency);
	}

	/**
	 * Starts workers on an executor. Each worker takes one of the executor's threads until the
	 * application stops. Queue and store exceptions do not end a worker: it logs them, backs off
	 * (exponentially, bounded) and tries again. The engine may be started again after
	 * {@link #stop(Duration)}, even after a stop that timed out: the workers of that stop still end
	 * after the step they are running, beside the new ones.
	 * @param concurrency how many jobs may run at once
	 * @param executor runs the worker loops; it needs {@code concurrency} threads
	 */
	public void start(int concurrency, Executor executor) {
		this.workers.start(concurrency, executor);
	}

	/**
	 * Stops the workers gracefully: they take no more jobs, and the steps in flight run to their end
	 * and have their state recorded, within the timeout. Jobs this engine held back for a later start
	 * time are put on the queue.
	 * @param timeout how long to wait for steps in flight
	 * @return {@code true} when every worker finished within the timeout
	 */
	public boolean stop(Duration timeout) {
		boolean finished = this.workers.stop(timeout);
		this.delayer.shutdown();
		this.runner.watch.shutdown();
		return finished;
	}

	/**
	 * Stops gracefully, waiting up to 30 seconds for steps in flight.
	 */
	@Override
	public void close() {
		stop(Duration.ofSeconds(30));
	}

	/**
	 * Returns what the workers are doing now.
	 * @return a snapshot
	 */
	public WorkerStatus status() {
		return this.workers.status();
	}

	/**
	 * Configures an {@link Ergate} application.
	 */
	public static final class Builder {

		private final JobQueue queue;

		private final StateStore stateStore;

		private JsonMapper jsonMapper = JsonMapper.shared();

		private final List<ParameterResolver> parameterResolvers = new ArrayList<>();

		private @Nullable ComponentFactory componentFactory;

		private final List<JobListener> listeners = new ArrayList<>();

		private final List<StepInterceptor> interceptors = new ArrayList<>();

		private Clock clock = Clock.systemUTC();

		private Duration backoffInitial = Duration.ofMillis(100);

		private Duration backoffMax = Duration.ofSeconds(10);

		private int unknownWorkflowAttempts = 2;

		private int poisonAttempts = 3;

		private @Nullable Consumer<Throwable> fatalErrorHandler;

		private RetryPolicy defaultRetry = RetryPolicy.none();

		private @Nullable Duration defaultStepTimeout;

		private boolean interruptOnCancel;

		private Duration cancelCheckInterval = Duration.ofSeconds(1);

		Duration stuckStepGrace = Duration.ofSeconds(5);

		private Builder(JobQueue queue, StateStore stateStore) {
			this.queue = Objects.requireNonNull(queue, "queue");
			this.stateStore = Objects.requireNonNull(stateStore, "stateStore");
		}

		/**
		 * Sets the mapper that converts inputs and contexts to the types steps ask for.
		 * @param jsonMapper the mapper, default {@link JsonMapper#shared()}
		 * @return this builder
		 */
		public Builder jsonMapper(JsonMapper jsonMapper) {
			this.jsonMapper = Objects.requireNonNull(jsonMapper, "jsonMapper");
			return this;
		}

		/**
		 * Adds a resolver for step parameters that are not {@link Input}, {@link Context},
		 * {@link Depends} or {@link Job}. Resolvers are asked in the order they were added.
		 * @param resolver the resolver
		 * @return this builder
		 */
		public Builder parameterResolver(ParameterResolver resolver) {
			this.parameterResolvers.add(Objects.requireNonNull(resolver, "resolver"));
			return this;
		}

		/**
		 * Sets how {@link Depends} provider instances are created.
		 * @param componentFactory the factory, default: the public no-arg constructor
		 * @return this builder
		 */
		public Builder componentFactory(ComponentFactory componentFactory) {
			this.componentFactory = Objects.requireNonNull(componentFactory, "componentFactory");
			return this;
		}

		/**
		 * Adds a listener for job runs.
		 * @param listener the listener
		 * @return this builder
		 */
		public Builder listener(JobListener listener) {
			this.listeners.add(Objects.requireNonNull(listener, "listener"));
			return this;
		}

		/**
		 * Adds an interceptor around every step. The first added is the outermost.
		 * @param interceptor the interceptor
		 * @return this builder
		 */
		public Builder interceptor(StepInterceptor interceptor) {
			this.interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
			return this;
		}

		/**
		 * Sets the clock against which {@code requested_start_time} is compared.
		 * @param clock the clock, default UTC system time
		 * @return this builder
		 */
		public Builder clock(Clock clock) {
			this.clock = Objects.requireNonNull(clock, "clock");
			return this;
		}

		/**
		 * Sets how long background workers wait after the queue or store throws: {@code initial}
		 * after the first failure, doubling after each further one, at most {@code max}.
		 * @param initial the first wait, default 100 ms
		 * @param max the longest wait, default 10 s
		 * @return this builder
		 */
		public Builder backoff(Duration initial, Duration max) {
			if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
				throw new IllegalArgumentException("backoff needs 0 < initial <= max, was " + initial + " and " + max);
			}
			this.backoffInitial = initial;
			this.backoffMax = max;
			return this;
		}

		/**
		 * Sets how many times a {@link ReliableJobQueue} may deliver a job that names a workflow or
		 * step this engine does not know before the job is dead-lettered (or, where the queue has no
		 * dead letters, recorded {@link JobStatus#FAILED}). Until then the job is given back to the
		 * queue, for a worker that knows it. Plain queues fail such a job at once.
		 * @param attempts 1 or more, default 2
		 * @return this builder
		 */
		public Builder unknownWorkflowAttempts(int attempts) {
			if (attempts < 1) {
				throw new IllegalArgumentException("unknownWorkflowAttempts must be 1 or more, was " + attempts);
			}
			this.unknownWorkflowAttempts = attempts;
			return this;
		}

		/**
		 * Sets how many times the handling of one job may fail in the queue or the store (its state
		 * cannot be recorded, its successor cannot be put), each time while other jobs go through,
		 * before the job counts as poison: it is then dead-lettered (or, where the queue has no dead
		 * letters, logged with its state and dropped). Failures while no job goes through are an outage
		 * of the queue or the store and never make a job poison: the workers back off and retry. A job
		 * whose handling failed is given back to wait behind the others, so it never holds them up.
		 * @param attempts 2 or more, default 3
		 * @return this builder
		 */
		public Builder poisonAttempts(int attempts) {
			if (attempts < 2) {
				throw new IllegalArgumentException("poisonAttempts must be 2 or more, was " + attempts);
			}
			this.poisonAttempts = attempts;
			return this;
		}

		/**
		 * Sets what happens when a background worker dies of an error that is not the queue's, the
		 * store's or a step's (an {@link OutOfMemoryError}, say). The error is always logged and shown in
		 * {@link Ergate#status()}; without a handler a new worker replaces the dead one, after a pause that
		 * grows when it keeps happening. With one, the handler is called instead (to exit the application,
		 * for example) and the worker is not replaced.
		 * @param handler called with the error, on the dying worker's thread
		 * @return this builder
		 */
		public Builder fatalErrorHandler(Consumer<Throwable> handler) {
			this.fatalErrorHandler = Objects.requireNonNull(handler, "handler");
			return this;
		}

		/**
		 * Sets the retry policy of the steps whose workflow declares none.
		 * @param policy the policy, default {@link RetryPolicy#none()}: a failure fails the job
		 * @return this builder
		 */
		public Builder defaultRetry(RetryPolicy policy) {
			this.defaultRetry = Objects.requireNonNull(policy, "policy");
			return this;
		}

		/**
		 * Sets the timeout of the steps whose workflow declares none.
		 * @param timeout more than zero; default none
		 * @return this builder
		 */
		public Builder defaultStepTimeout(Duration timeout) {
			this.defaultStepTimeout = new StepOption.Timeout(timeout).duration();
			return this;
		}

		/**
		 * Sets whether the thread of a running step is interrupted when its job is cancelled (besides
		 * {@link StepContext#cancelRequested()} turning {@code true}).
		 * @param interrupt default {@code false}
		 * @return this builder
		 */
		public Builder interruptOnCancel(boolean interrupt) {
			this.interruptOnCancel = interrupt;
			return this;
		}

		/**
		 * Sets how often the store is asked whether a cancel was requested for a job whose step runs
		 * longer than that (a cancel issued in this process is seen at once).
		 * @param interval more than zero, default 1 second
		 * @return this builder
		 */
		public Builder cancelCheckInterval(Duration interval) {
			if (interval.isNegative() || interval.isZero()) {
				throw new IllegalArgumentException("cancelCheckInterval must be more than zero, was " + interval);
			}
			this.cancelCheckInterval = interval;
			return this;
		}

		/**
		 * Builds the application.
		 * @return the application
		 */
		public Ergate build() {
			return new Ergate(this);
		}

	}

}
