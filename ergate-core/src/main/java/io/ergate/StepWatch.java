package io.ergate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the steps that are running: interrupts a step whose timeout passed, reports a step that
 * keeps running after that, and tells running steps whose job a cancel was requested for (read from
 * the store about once per check interval, for steps running longer than that). One daemon thread per
 * engine, started with the first step that needs it; a step with no timeout costs it nothing.
 */
final class StepWatch {

	private static final Logger logger = LoggerFactory.getLogger(StepWatch.class);

	/** Reads a job's recorded state; null when the store cannot be read, and cancels cannot be seen. */
	private final @Nullable Function<Object, Optional<Job>> recorded;

	private final boolean interruptOnCancel;

	private final Duration checkInterval;

	private final Duration stuckGrace;

	private final Object lock = new Object();

	private @Nullable ScheduledExecutorService scheduler;

	private @Nullable ScheduledFuture<?> cancelChecks;

	/** The steps that ran on past their timeout and interrupt: described for the status. */
	private final List<StepRun> stuck = new ArrayList<>();

	StepWatch(@Nullable Function<Object, Optional<Job>> recorded, boolean interruptOnCancel, Duration checkInterval,
			Duration stuckGrace) {
		this.recorded = recorded;
		this.interruptOnCancel = interruptOnCancel;
		this.checkInterval = checkInterval;
		this.stuckGrace = stuckGrace;
	}

	/** A watch reading cancel requests from the store when it can be read. */
	static StepWatch of(StateStore store, boolean interruptOnCancel, Duration checkInterval, Duration stuckGrace) {
		return new StepWatch((store instanceof FencingStateStore fencing) ? fencing::findById
				: (store instanceof QueryableStateStore queryable) ? queryable::findById : null, interruptOnCancel,
				checkInterval, stuckGrace);
	}

	/** Whether a step without a timeout can be interrupted (on cancel). */
	boolean interruptsOnCancel() {
		return this.interruptOnCancel && this.recorded != null;
	}

	/** Starts the periodic cancel checks of the pool's running steps, when the store can be read. */
	void watch(WorkerPool pool) {
		if (this.recorded == null) {
			return;
		}
		synchronized (this.lock) {
			if (this.cancelChecks == null) {
				long millis = this.checkInterval.toMillis();
				this.cancelChecks = scheduler().scheduleWithFixedDelay(() -> checkCancels(pool), millis, millis,
						TimeUnit.MILLISECONDS);
			}
		}
	}

	/** Times a step: when the timeout passes, its thread is interrupted. */
	ScheduledFuture<?> time(StepRun run, Duration timeout) {
		return scheduler().schedule(() -> timeOut(run, timeout), timeout.toNanos(), TimeUnit.NANOSECONDS);
	}

	/** After a timed step ended: forgets it. */
	void ended(StepRun run, @Nullable ScheduledFuture<?> timer) {
		if (timer != null) {
			timer.cancel(false);
		}
		if (run.stuck) {
			synchronized (this.lock) {
				this.stuck.remove(run);
			}
			logger.warn("Step \"{}\" of job {} ended {} ms after it started, past its timeout", run.stepName(),
					run.job().id(), elapsedMillis(run));
		}
	}

	List<String> stuckSteps() {
		synchronized (this.lock) {
			List<String> described = new ArrayList<>(this.stuck.size());
			for (StepRun run : this.stuck) {
				described.add("job " + run.job().id() + " (workflow " + run.job().workflowName() + ") step \""
						+ run.stepName() + "\" on thread " + run.thread.getName() + ": running for "
						+ elapsedMillis(run) + " ms, past its timeout, ignoring the interrupt");
			}
			return described;
		}
	}

	void shutdown() {
		synchronized (this.lock) {
			if (this.scheduler != null) {
				this.scheduler.shutdownNow();
				this.scheduler = null;
				this.cancelChecks = null;
			}
		}
	}

	private void timeOut(StepRun run, Duration timeout) {
		run.timedOut = true;
		if (run.interrupt()) {
			logger.debug("Step \"{}\" of job {} timed out after {}: its thread was interrupted", run.stepName(),
					run.job().id(), timeout);
			scheduler().schedule(() -> reportIfStuck(run, timeout), this.stuckGrace.toNanos(), TimeUnit.NANOSECONDS);
		}
	}

	private void reportIfStuck(StepRun run, Duration timeout) {
		if (!run.interrupt()) {
			return;
		}
		run.stuck = true;
		synchronized (this.lock) {
			this.stuck.add(run);
		}
		Throwable where = new Throwable("stack of thread " + run.thread.getName());
		where.setStackTrace(run.thread.getStackTrace());
		logger.warn("Step \"{}\" of job {} (workflow {}) is still running {} ms after its timeout of {} ms passed: "
				+ "it ignores the interrupt and occupies worker thread {} until it returns. Make the step stop when "
				+ "interrupted (or give it a longer timeout)", run.stepName(), run.job().id(), run.job().workflowName(),
				elapsedMillis(run) - timeout.toMillis(), timeout.toMillis(), run.thread.getName(), where);
	}

	private void checkCancels(WorkerPool pool) {
		Function<Object, Optional<Job>> recorded = this.recorded;
		long now = System.nanoTime();
		for (WorkerLoop loop : pool.loops) {
			StepRun run = loop.running();
			Object id = (run != null) ? run.job().id() : null;
			if (run == null || id == null || run.cancelRequested
					|| now - run.startedNanos < this.checkInterval.toNanos()) {
				continue;
			}
			try {
				Job job = recorded.apply(id).orElse(null);
				if (job != null && job.status() == JobStatus.CANCELLING && loop.running() == run) {
					run.cancelRequested = true;
					logger.info("Job {} is being cancelled: step \"{}\" is told{}", id, run.stepName(),
							this.interruptOnCancel ? " and its thread interrupted" : "");
					if (this.interruptOnCancel) {
						run.interrupt();
					}
				}
			}
			catch (RuntimeException ex) {
				logger.debug("Checking job {} for a cancel request failed", id, ex);
			}
		}
	}

	private ScheduledExecutorService scheduler() {
		synchronized (this.lock) {
			if (this.scheduler == null) {
				ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (task) -> {
					Thread thread = new Thread(task, "ergate-step-watch");
					thread.setDaemon(true);
					return thread;
				});
				executor.setRemoveOnCancelPolicy(true);
				this.scheduler = executor;
			}
			return this.scheduler;
		}
	}

	private static long elapsedMillis(StepRun run) {
		return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - run.startedNanos);
	}

}
