package io.ergate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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

/**
 * The engine's workers: starts and stops their loops, takes jobs for them from the queue, and keeps
 * what the status shows (the live loops, the failures in a row, the last error).
 */
final class WorkerPool {

	private static final Logger logger = LoggerFactory.getLogger(WorkerPool.class);

	private final JobQueue queue;

	private final @Nullable ReliableJobQueue reliableQueue;

	final JobRunner runner;

	private final Clock clock;

	final Duration backoffInitial;

	final Duration backoffMax;

	final HandlingFailures handlingFailures;

	final @Nullable Consumer<Throwable> fatalErrorHandler;

	final Set<WorkerLoop> loops = ConcurrentHashMap.newKeySet();

	final AtomicInteger consecutiveFailures = new AtomicInteger();

	/** Jobs handled by loops that have ended, so that the count only grows. */
	final AtomicLong handledByEndedLoops = new AtomicLong();

	private volatile boolean stopping;

	private volatile @Nullable String lastError;

	private volatile @Nullable Instant lastErrorTime;

	private @Nullable ExecutorService ownedExecutor;

	WorkerPool(JobQueue queue, JobRunner runner, Clock clock, Duration backoffInitial, Duration backoffMax,
			int poisonAttempts, @Nullable Consumer<Throwable> fatalErrorHandler) {
		this.queue = queue;
		this.reliableQueue = (queue instanceof ReliableJobQueue reliable) ? reliable : null;
		this.runner = runner;
		this.clock = clock;
		this.backoffInitial = backoffInitial;
		this.backoffMax = backoffMax;
		this.handlingFailures = new HandlingFailures(poisonAttempts, this::handledJobs, backoffInitial, backoffMax);
		this.fatalErrorHandler = fatalErrorHandler;
	}

	/** One worker on the calling thread, letting the queue's and the store's exceptions propagate. */
	void run() {
		this.stopping = false;
		this.runner.watch.watch(this);
		new WorkerLoop(this, null, 0).run();
	}

	synchronized void start(int concurrency) {
		AtomicInteger count = new AtomicInteger();
		ExecutorService executor = Executors.newFixedThreadPool(concurrency,
				(task) -> new Thread(task, "ergate-worker-" + count.incrementAndGet()));
		this.ownedExecutor = executor;
		start(concurrency, executor);
	}

	synchronized void start(int concurrency, Executor executor) {
		if (concurrency < 1) {
			throw new IllegalArgumentException("concurrency must be 1 or more, was " + concurrency);
		}
		// loops of an earlier stop that timed out keep their own stop request and end after their step
		this.stopping = false;
		this.runner.watch.watch(this);
		for (int i = 0; i < concurrency; i++) {
			WorkerLoop loop = new WorkerLoop(this, executor, 0);
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

	/** Asks every loop to stop and waits for them; shuts down the executor it made itself. */
	boolean stop(Duration timeout) {
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

	WorkerStatus status() {
		int workers = this.loops.size();
		WorkerStatus.State state = (workers == 0) ? WorkerStatus.State.STOPPED
				: this.stopping ? WorkerStatus.State.STOPPING : WorkerStatus.State.RUNNING;
		return new WorkerStatus(state, workers, busyWorkers(), this.consecutiveFailures.get(), this.lastError,
				this.lastErrorTime, this.runner.watch.stuckSteps());
	}

	/** Counted from the workers' own states, so that running a step touches no counter shared between workers. */
	private int busyWorkers() {
		int busy = 0;
		for (WorkerLoop loop : this.loops) {
			if (loop.state.get() == WorkerLoop.BUSY) {
				busy++;
			}
		}
		return busy;
	}

	JobDelivery take() throws InterruptedException {
		if (this.reliableQueue != null) {
			return this.reliableQueue.take();
		}
		Job job = this.queue.getOne();
		return new PlainDelivery(this.queue, Objects.requireNonNull(job, "JobQueue.getOne() returned null"));
	}

	/** @return the failures in a row, this one included */
	int recordFailure(Throwable ex) {
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

}
