package io.ergate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

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
public final class Ergate implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(Ergate.class);

	private static final int WAITING = 0;

	private static final int BUSY = 1;

	private static final int INTERRUPTED = 2;

	private static final int STARTING = 3;

	private final JobQueue queue;

	private final StateStore stateStore;

	private final @Nullable ReliableJobQueue reliableQueue;

	private final WorkflowRegistry registry = new WorkflowRegistry();

	private final StepBinder binder;

	private final JobRunner runner;

	private final Delayer delayer;

	private final Clock clock;

	private final Duration backoffInitial;

	private final Duration backoffMax;

	private final Set<WorkerLoop> loops = ConcurrentHashMap.newKeySet();

	private final AtomicInteger consecutiveFailures = new AtomicInteger();

	private volatile boolean stopping;

	private volatile @Nullable String lastError;

	private volatile @Nullable Instant lastErrorTime;

	private @Nullable ExecutorService ownedExecutor;

	private final HandlingFailures handlingFailures;

	/** Jobs handled by loops that have ended, so that the count only grows. */
	private final AtomicLong handledByEndedLoops = new AtomicLong();

	private final @Nullable Consumer<Throwable> fatalErrorHandler;

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
		this.reliableQueue = (this.queue instanceof ReliableJobQueue reliable) ? reliable : null;
		this.clock = builder.clock;
		this.backoffInitial = builder.backoffInitial;
		this.backoffMax = builder.backoffMax;
		this.handlingFailures = new HandlingFailures(builder.poisonAttempts, this::handledJobs, builder.backoffInitial,
				builder.backoffMax);
		this.fatalErrorHandler = builder.fatalErrorHandler;
		ComponentFactory factory = (builder.componentFactory != null) ? builder.componentFactory
				: Ergate::instantiate;
		this.binder = new StepBinder(new PayloadConverter(builder.jsonMapper), builder.parameterResolvers, factory);
		this.delayer = new Delayer(this.queue, this.clock);
		this.runner = new JobRunner(this.registry, this.queue, this.stateStore, this.binder, builder.listeners,
				builder.interceptors, this.delayer, this.clock,
				// a plain queue cannot count deliveries: its jobs are not given back
				(this.reliableQueue != null) ? builder.unknownWorkflowAttempts : 1);
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
		if (this.registry.get(job.workflowName()) == null) {
			throw new UnknownWorkflowException(job.workflowName(), this.registry.names());
		}
		Job.Builder builder = job.toBuilder();
		if (job.id() == null) {
			builder.id(UUID.randomUUID().toString());
		}
		Instant startTime = job.requestedStartTime();
		boolean later = startTime != null && this.clock.instant().isBefore(startTime);
		builder.status(later ? JobStatus.SCHEDULED : JobStatus.QUEUED);
		Job submitted = builder.build();
		if (this.reliableQueue != null) {
			this.reliableQueue.submit(submitted, this.stateStore);
			return submitted;
		}
		this.stateStore.update(submitted);
		if (later && !this.queue.supportsDelayedDelivery()) {
			this.delayer.schedule(submitted, startTime);
		}
		else {
			this.queue.put(submitted);
		}
		return submitted;
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

	/**
	 * Runs one worker on the calling thread, processing jobs until the thread is interrupted (the
	 * Java analogue of Ctrl-C) or {@link #stop(Duration)} is called. Exceptions thrown by the queue
	 * or the store are logged with the job they concerned and propagate, as in the original Ergate;
	 * the job's delivery is released first, so a reliable queue delivers it again.
	 */
	public void run() {
		this.stopping = false;
		new WorkerLoop(null, 0).run();
	}

	/**
	 * Starts workers on threads of their own, named {@code ergate-worker-N}.
	 * @param concurrency how many jobs may run at once
	 */
	public synchronized void start(int concurrency) {
		AtomicInteger count = new AtomicInteger();
		ExecutorService executor = Executors.newFixedThreadPool(concurrency,
				(task) -> new Thread(task, "ergate-worker-" + count.incrementAndGet()));
		this.ownedExecutor = executor;
		start(concurrency, executor);
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
	public synchronized void start(int concurrency, Executor executor) {
		if (concurrency < 1) {
			throw new IllegalArgumentException("concurrency must be 1 or more, was " + concurrency);
		}
		// loops of an earlier stop that timed out keep their own stop request and end after their step
		this.stopping = false;
		for (int i = 0; i < concurrency; i++) {
			WorkerLoop loop = new WorkerLoop(executor, 0);
			this.loops.add(loop);
			try {
				executor.execute(loop);
			}
			catch (RejectedExecutionException ex) {
				this.loops.remove(loop);
				throw ex;
			}
		}
		logger.debug("Started {} Ergate worker(s)", concurrency);
	}

	/**
	 * Stops the workers gracefully: they take no more jobs, and the steps in flight run to their end
	 * and have their state recorded, within the timeout. Jobs this engine held back for a later start
	 * time are put on the queue.
	 * @param timeout how long to wait for steps in flight
	 * @return {@code true} when every worker finished within the timeout
	 */
	public boolean stop(Duration timeout) {
		this.stopping = true;
		for (WorkerLoop loop : this.loops) {
			loop.requestStop();
		}
		long deadline = System.nanoTime() + timeout.toNanos();
		boolean finished = true;
		for (WorkerLoop loop : List.copyOf(this.loops)) {
			try {
				if (!loop.done.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
					finished = false;
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				finished = false;
				break;
			}
		}
		this.delayer.shutdown();
		synchronized (this) {
			if (this.ownedExecutor != null) {
				this.ownedExecutor.shutdown();
				this.ownedExecutor = null;
			}
		}
		if (!finished) {
			logger.warn("Ergate stopped with {} step(s) still running after {}", busyWorkers(), timeout);
		}
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
		int workers = this.loops.size();
		WorkerStatus.State state = (workers == 0) ? WorkerStatus.State.STOPPED
				: this.stopping ? WorkerStatus.State.STOPPING : WorkerStatus.State.RUNNING;
		return new WorkerStatus(state, workers, busyWorkers(), this.consecutiveFailures.get(), this.lastError,
				this.lastErrorTime);
	}

	/** Counted from the workers' own states, so that running a step touches no counter shared between workers. */
	private int busyWorkers() {
		int busy = 0;
		for (WorkerLoop loop : this.loops) {
			if (loop.state.get() == BUSY) {
				busy++;
			}
		}
		return busy;
	}

	private JobDelivery take() throws InterruptedException {
		if (this.reliableQueue != null) {
			return this.reliableQueue.take();
		}
		Job job = this.queue.getOne();
		return new PlainDelivery(this.queue, Objects.requireNonNull(job, "JobQueue.getOne() returned null"));
	}

	/** @return the failures in a row, this one included */
	private int recordFailure(Throwable ex) {
		this.lastError = ex.getClass().getName() + ": " + ex.getMessage();
		this.lastErrorTime = this.clock.instant();
		return this.consecutiveFailures.incrementAndGet();
	}

	/** How many jobs the workers have handled so far: summed on the failure path only. */
	private long handledJobs() {
		long handled = 0;
		for (WorkerLoop loop : this.loops) {
			handled += loop.handled.get();
		}
		return handled + this.handledByEndedLoops.get();
	}

	private static <T> T instantiate(Class<T> type) {
		try {
			return type.getDeclaredConstructor().newInstance();
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("cannot call the no-arg constructor of " + type.getName(), ex);
		}
	}

	/**
	 * One worker: takes a job, runs one step, hands it on, until stopped.
	 */
	private final class WorkerLoop implements Runnable {

		private final boolean resilient;

		/** Where a resilient loop runs, and where its replacement runs when it dies; null for {@link #run()}. */
		private final @Nullable Executor executor;

		/** Errors that killed the loops this one replaces, in a row: its replacement waits longer each time. */
		private final int fatalErrors;

		private final AtomicInteger state = new AtomicInteger(STARTING);

		private final CountDownLatch done = new CountDownLatch(1);

		/** Jobs this loop handled; written only by its thread, read on the failure path. */
		private final HandledCount handled = new HandledCount();

		private volatile @Nullable Thread thread;

		/** Set by {@link Ergate#stop}: this loop takes no more jobs, whatever a later start does. */
		private volatile boolean stopRequested;

		WorkerLoop(@Nullable Executor executor, int fatalErrors) {
			this.resilient = executor != null;
			this.executor = executor;
			this.fatalErrors = fatalErrors;
		}

		void requestStop() {
			this.stopRequested = true;
			interruptIfWaiting();
		}

		private void interruptIfWaiting() {
			Thread current = this.thread;
			if (current != null && this.state.compareAndSet(WAITING, INTERRUPTED)) {
				current.interrupt();
			}
		}

		@Override
		public void run() {
			this.thread = Thread.currentThread();
			Ergate.this.loops.add(this);
			try {
				if (this.fatalErrors > 0 && !pause(this.fatalErrors)) {
					return;
				}
				loop();
			}
			catch (Throwable ex) {
				if (!this.resilient) {
					throw ex;
				}
				// nothing escapes a worker thread: the error is logged, shown in the status, and the loop replaced
				diedOf(ex);
			}
			finally {
				Ergate.this.handledByEndedLoops.addAndGet(this.handled.get());
				Ergate.this.loops.remove(this);
				this.thread = null;
				this.done.countDown();
			}
		}

		private void diedOf(Throwable error) {
			recordFailure(error);
			Consumer<Throwable> handler = Ergate.this.fatalErrorHandler;
			boolean replace = !this.stopRequested && handler == null;
			logger.error("Ergate worker {} died of {}{}", Thread.currentThread().getName(), error,
					replace ? "; a new worker replaces it" : "", error);
			if (handler != null) {
				try {
					handler.accept(error);
				}
				catch (RuntimeException ex) {
					logger.error("The fatal error handler failed", ex);
				}
				return;
			}
			if (replace && this.executor != null) {
				WorkerLoop replacement = new WorkerLoop(this.executor, this.fatalErrors + 1);
				Ergate.this.loops.add(replacement);
				if (this.stopRequested) {
					replacement.requestStop();
				}
				try {
					this.executor.execute(replacement);
				}
				catch (RejectedExecutionException ex) {
					Ergate.this.loops.remove(replacement);
					logger.error("No worker could replace the one that died: the executor refused it", ex);
				}
			}
		}

		private void loop() {
			int failures = 0;
			while (!this.stopRequested) {
				this.state.set(WAITING);
				if (this.stopRequested) {
					break;
				}
				JobDelivery delivery;
				try {
					delivery = take();
				}
				catch (InterruptedException ex) {
					restoreInterrupt();
					break;
				}
				catch (RuntimeException ex) {
					failed("Taking a job from the queue failed; backing off and retrying", ex);
					if (!this.resilient) {
						throw ex;
					}
					if (!backOff(++failures)) {
						break;
					}
					continue;
				}
				if (!this.state.compareAndSet(WAITING, BUSY)) {
					Thread.interrupted();
					release(delivery);
					break;
				}
				try {
					processOrRelease(delivery);
					failures = 0;
					this.handled.increment();
					if (Ergate.this.consecutiveFailures.get() != 0) {
						recovered();
					}
				}
				catch (RuntimeException ex) {
					Job job = delivery.job();
					if (!this.resilient) {
						logger.error("Processing job {} (workflow {}, step {}) failed in the queue or state store; "
								+ "its delivery is released so that it runs again. Its state was: {}", job.id(),
								job.workflowName(), job.stepName(), job, ex);
						recordFailure(ex);
						release(delivery);
						throw ex;
					}
					HandlingFailures.Verdict verdict = Ergate.this.handlingFailures.failed(job);
					this.state.set(WAITING);
					if (verdict.poison()) {
						poison(delivery, job, verdict, ex);
						continue;
					}
					failed("Processing job " + job.id() + " (workflow " + job.workflowName() + ", step "
							+ job.stepName() + ") failed in the queue or state store (failure " + verdict.count()
							+ " of " + Ergate.this.handlingFailures.poisonAttempts() + " before it counts as poison); "
							+ "it is given back to run again in " + verdict.delay().toMillis() + " ms", ex);
					releaseLater(delivery, verdict.delay());
					// other jobs go through: this one is the problem, and the others need not wait
					if (!verdict.othersWentThrough() && !backOff(++failures)) {
						break;
					}
				}
			}
		}

		/** Runs the job's step; when an error kills this loop meanwhile, the job is given back first. */
		private void processOrRelease(JobDelivery delivery) {
			try {
				Ergate.this.runner.process(delivery);
			}
			catch (Error ex) {
				release(delivery);
				throw ex;
			}
		}

		/** Logs a failure of the queue or the store: its stack trace once per streak of failures, then a line each. */
		private void failed(String what, RuntimeException ex) {
			int streak = recordFailure(ex);
			if (streak == 1) {
				logger.error(what, ex);
			}
			else {
				logger.warn("{}: {} (failure {} in a row; the stack trace was logged with the first)", what, ex, streak);
			}
		}

		private void recovered() {
			int streak = Ergate.this.consecutiveFailures.getAndSet(0);
			if (streak != 0) {
				logger.info("Ergate workers handle jobs again, after {} failure(s) in a row", streak);
			}
		}

		private void poison(JobDelivery delivery, Job job, HandlingFailures.Verdict verdict, RuntimeException ex) {
			String reason = "Handling job " + job.id() + " (workflow " + job.workflowName() + ", step " + job.stepName()
					+ ") failed " + verdict.count() + " times in the queue or the state store while other jobs went "
					+ "through, the last time with: " + ex + ". Fix what the job holds (or the store), then put it "
					+ "on the queue again";
			try {
				Ergate.this.runner.poison(delivery, job, reason);
			}
			catch (RuntimeException deadLetterFailure) {
				logger.error("Moving poison job {} to the dead letters failed; it is given back", job.id(),
						deadLetterFailure);
				releaseLater(delivery, verdict.delay());
			}
		}

		private void restoreInterrupt() {
			if (!this.stopRequested) {
				Thread.currentThread().interrupt();
			}
		}

		private void release(JobDelivery delivery) {
			try {
				delivery.release();
			}
			catch (RuntimeException ex) {
				logger.error("Giving job {} back to the queue failed; its state was: {}", delivery.job().id(),
						delivery.job(), ex);
			}
		}

		private void releaseLater(JobDelivery delivery, Duration delay) {
			try {
				delivery.releaseLater(delay);
			}
			catch (RuntimeException ex) {
				logger.warn("Giving job {} back to the queue failed ({}); the queue delivers it again when it can",
						delivery.job().id(), ex.toString());
			}
		}

		/** @return false when interrupted: the worker stops */
		private boolean backOff(int failures) {
			if (!pause(failures)) {
				return false;
			}
			return !this.stopRequested;
		}

		private boolean pause(int failures) {
			long initial = Ergate.this.backoffInitial.toMillis();
			long delay = Math.min(Ergate.this.backoffMax.toMillis(), initial << Math.min(20, failures - 1));
			logger.debug("Ergate worker backing off for {} ms after {} failure(s) in a row", delay, failures);
			try {
				Thread.sleep(delay);
				return true;
			}
			catch (InterruptedException ex) {
				return false;
			}
		}

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
		 * Builds the application.
		 * @return the application
		 */
		public Ergate build() {
			return new Ergate(this);
		}

	}

}
