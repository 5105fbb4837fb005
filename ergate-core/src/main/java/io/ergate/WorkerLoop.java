package io.ergate;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker of a {@link WorkerPool}: takes a job, runs one step, hands it on, until stopped; logs
 * and survives what fails around the step (the queue, the store, an error that kills its thread).
 */
final class WorkerLoop implements Runnable {

	private static final Logger logger = LoggerFactory.getLogger(WorkerLoop.class);

	static final int WAITING = 0;

	static final int BUSY = 1;

	private static final int INTERRUPTED = 2;

	private static final int STARTING = 3;

	private final WorkerPool pool;

	private final boolean resilient;

	/** Where a resilient loop runs, and where its replacement runs when it dies; null for {@link #run()}. */
	private final @Nullable Executor executor;

	/** Errors that killed the loops this one replaces, in a row: its replacement waits longer each time. */
	private final int fatalErrors;

	final AtomicInteger state = new AtomicInteger(STARTING);

	final CountDownLatch done = new CountDownLatch(1);

	/** Jobs this loop handled; written only by its thread, read on the failure path. */
	final HandledCount handled = new HandledCount();

	private volatile @Nullable Thread thread;

	/**
	 * The step this loop runs now, for the {@link StepWatch}; null between steps. Written with release
	 * semantics only (no full fence on the step path), read with acquire by {@link #running()}.
	 */
	@SuppressWarnings("unused")
	private @Nullable StepRun running;

	private static final VarHandle RUNNING;

	static {
		try {
			RUNNING = MethodHandles.lookup().findVarHandle(WorkerLoop.class, "running", StepRun.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	void running(@Nullable StepRun run) {
		RUNNING.setRelease(this, run);
	}

	@Nullable StepRun running() {
		return (StepRun) RUNNING.getAcquire(this);
	}

	/** Set by {@link Ergate#stop}: this loop takes no more jobs, whatever a later start does. */
	private volatile boolean stopRequested;

	WorkerLoop(WorkerPool pool, @Nullable Executor executor, int fatalErrors) {
		this.pool = pool;
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
		this.pool.loops.add(this);
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
			this.pool.handledByEndedLoops.addAndGet(this.handled.get());
			this.pool.loops.remove(this);
			this.thread = null;
			this.done.countDown();
		}
	}

	private void diedOf(Throwable error) {
		this.pool.recordFailure(error);
		Consumer<Throwable> handler = this.pool.fatalErrorHandler;
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
			WorkerLoop replacement = new WorkerLoop(this.pool, this.executor, this.fatalErrors + 1);
			this.pool.loops.add(replacement);
			if (this.stopRequested) {
				replacement.requestStop();
			}
			try {
				this.executor.execute(replacement);
			}
			catch (RejectedExecutionException ex) {
				this.pool.loops.remove(replacement);
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
				delivery = this.pool.take();
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
				if (this.pool.consecutiveFailures.get() != 0) {
					recovered();
				}
			}
			catch (RuntimeException ex) {
				Job job = delivery.job();
				if (!this.resilient) {
					logger.error("Processing job {} (workflow {}, step {}) failed in the queue or state store; "
							+ "its delivery is released so that it runs again. Its state was: {}", job.id(),
							job.workflowName(), job.stepName(), job, ex);
					this.pool.recordFailure(ex);
					release(delivery);
					throw ex;
				}
				HandlingFailures.Verdict verdict = this.pool.handlingFailures.failed(job);
				this.state.set(WAITING);
				if (verdict.poison()) {
					poison(delivery, job, verdict, ex);
					continue;
				}
				String what = "Processing job " + job.id() + " (workflow " + job.workflowName() + ", step "
						+ job.stepName() + ") failed in the queue or state store (failure " + verdict.count() + " of "
						+ this.pool.handlingFailures.poisonAttempts() + " before it counts as poison); it is given "
						+ "back to run again in " + verdict.delay().toMillis() + " ms";
				if (verdict.othersWentThrough()) {
					// the queue and the store work for other jobs: no outage, so the health stays as it is
					logger.warn("{}: {}", what, ex.toString());
				}
				else {
					failed(what, ex);
				}
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
			this.pool.runner.process(delivery, this);
		}
		catch (Error ex) {
			release(delivery);
			throw ex;
		}
	}

	/** Logs a failure of the queue or the store: its stack trace once per streak of failures, then a line each. */
	private void failed(String what, RuntimeException ex) {
		int streak = this.pool.recordFailure(ex);
		if (streak == 1) {
			logger.error(what, ex);
		}
		else {
			logger.warn("{}: {} (failure {} in a row; the stack trace was logged with the first)", what, ex, streak);
		}
	}

	private void recovered() {
		int streak = this.pool.consecutiveFailures.getAndSet(0);
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
			this.pool.runner.poison(delivery, job, reason);
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
		long initial = this.pool.backoffInitial.toMillis();
		long delay = Math.min(this.pool.backoffMax.toMillis(), initial << Math.min(20, failures - 1));
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
