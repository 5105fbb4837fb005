package io.ergate;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of a step: writes the state it led to and hands the job on through its delivery, fenced
 * when the queue may deliver a step again after its hand-over, and tells the listeners. Where the
 * store refuses the state (another delivery handed the step over, or the job is being cancelled),
 * it settles the delivery as the rules say: a repeated run dropped, a cancel recorded.
 */
final class HandOn {

	/** The engine's log category for job outcomes, which users may already tune. */
	private static final Logger logger = LoggerFactory.getLogger(JobRunner.class);

	private final JobQueue queue;

	private final StateStore stateStore;

	private final JobListener[] listeners;

	/**
	 * The store's fenced writes (which also keep a cancelled job from running on), unless the queue
	 * hands over in one transaction with the store, which then applies those rules itself; else null.
	 */
	final @Nullable FencingStateStore fencing;

	HandOn(JobQueue queue, StateStore stateStore, List<JobListener> listeners) {
		this.queue = queue;
		this.stateStore = stateStore;
		this.listeners = listeners.toArray(new JobListener[0]);
		this.fencing = (stateStore instanceof FencingStateStore fenced && !(queue instanceof ReliableJobQueue reliable
				&& reliable.handsOverAtomically(stateStore))) ? fenced : null;
	}

	void handOn(JobDelivery delivery, StepResult result, Job from) {
		if (complete(delivery, result.job(), from)) {
			notifyListeners(result);
		}
	}

	/** Completes a delivery with the job's new state; false when the store refused it (superseded, cancelled). */
	boolean complete(JobDelivery delivery, Job newState, Job from) {
		try {
			if (this.fencing == null) {
				delivery.complete(newState, this.stateStore);
				return true;
			}
			delivery.complete(newState, new FencedHandOver(this.fencing, from.stepsCompleted(), from.attempt()));
			return true;
		}
		catch (StaleHandOver ex) {
			superseded(delivery, newState, from.stepsCompleted(), from.attempt());
			return false;
		}
		catch (JobCancelledException ex) {
			// the queue recorded the cancel with the hand-over, and settled the delivery
			notifyListeners(new StepResult(ex.job(), String.valueOf(from.stepName()), StepOutcome.CANCELLED,
					Duration.ZERO, null));
			logger.info("Job {} (workflow {}) was cancelled at step {}", from.id(), from.workflowName(),
					from.stepName());
			return false;
		}
	}

	/** Records a state outside a hand-over; false when the store refused it (superseded, cancelled). */
	boolean record(Job job) {
		if (this.fencing == null) {
			this.stateStore.update(job);
			return true;
		}
		return this.fencing.handOver(job, job.stepsCompleted(), job.attempt() - 1);
	}

	/**
	 * The store refused this delivery's state: a step delivered again after another delivery handed it
	 * over (its worker died between putting the successor and acknowledging), or a job being cancelled.
	 * A cancelled job is recorded {@link JobStatus#CANCELLED}, at the state the step led to. A repeated
	 * run is dropped, so that the rest of the job does not run twice; when the recorded state is that
	 * hand-over and nobody has started it, its successor may not have been put before the worker died:
	 * it is put again (a copy is refused when claimed).
	 */
	void superseded(JobDelivery delivery, Job job, int fromStepsCompleted, int fromAttempt) {
		FencingStateStore fencing = this.fencing;
		Job recorded = (fencing != null) ? fencing.findById(job.id()).orElse(null) : null;
		if (recorded != null && fencing != null && recorded.status() == JobStatus.CANCELLING) {
			Job cancelled = (job.status() == JobStatus.RUNNING ? recorded : job).withStatus(JobStatus.CANCELLED,
					job.stepName());
			if (fencing.updateIf(cancelled, (current) -> current.status() == JobStatus.CANCELLING)) {
				cancelled(delivery, cancelled, String.valueOf(job.stepName()));
				return;
			}
			recorded = fencing.findById(job.id()).orElse(null);
		}
		if (recorded != null && recorded.status() == JobStatus.CANCELLED) {
			logger.info("Job {} was cancelled: its step {} is not run on", job.id(), job.stepName());
		}
		else if (recorded != null && delivery.deliveryCount() > 1 && !recorded.status().isFinal()
				&& recorded.status() != JobStatus.RUNNING && recorded.stepsCompleted() <= fromStepsCompleted + 1
				&& recorded.stepsCompleted() >= fromStepsCompleted) {
			this.queue.put(recorded);
			logger.info("Job {} step {} was delivered again after its hand-over was recorded; its next state is put "
					+ "on the queue again in case it was lost, and this delivery is dropped", job.id(), job.stepName());
		}
		else {
			logger.info("Job {} step {} was delivered again, but another delivery has handed it over already (state "
					+ "recorded: {} at {} steps, attempt {}): this delivery is dropped", job.id(), job.stepName(),
					(recorded != null) ? recorded.status() : "none", (recorded != null) ? recorded.stepsCompleted() : 0,
					(recorded != null) ? recorded.attempt() : 0);
		}
		delivery.acknowledge();
	}

	/** A job recorded CANCELLED at one of its steps (the delivery is settled or settles here). */
	void cancelled(JobDelivery delivery, Job cancelled, String stepName) {
		delivery.acknowledge();
		logger.info("Job {} (workflow {}) was cancelled at step {}", cancelled.id(), cancelled.workflowName(),
				stepName);
		notifyListeners(new StepResult(cancelled, stepName, StepOutcome.CANCELLED, Duration.ZERO, null));
	}

	void started(Job running) {
		for (JobListener listener : this.listeners) {
			try {
				listener.onJobRunStart(running);
			}
			catch (RuntimeException ex) {
				logger.warn("Job listener {} failed on start of job {}", listener, running.id(), ex);
			}
		}
	}

	void notifyListeners(StepResult result) {
		boolean failed = result.job().status() == JobStatus.FAILED;
		for (JobListener listener : this.listeners) {
			try {
				if (failed) {
					listener.onJobRunFailure(result);
				}
				else {
					listener.onJobRunEnd(result);
				}
			}
			catch (RuntimeException ex) {
				logger.warn("Job listener {} failed after step {} of job {}", listener, result.stepName(),
						result.job().id(), ex);
			}
		}
	}

	/** The fenced writes of one hand-over, as the store a delivery completes with. */
	private record FencedHandOver(FencingStateStore store, int fromStepsCompleted, int fromAttempt)
			implements StateStore {

		@Override
		public void update(Job job) {
			if (!this.store.handOver(job, this.fromStepsCompleted, this.fromAttempt)) {
				throw StaleHandOver.INSTANCE;
			}
		}

	}

	/** Thrown through a delivery's complete when the store refused its hand-over. */
	static final class StaleHandOver extends RuntimeException {

		private static final long serialVersionUID = 1L;

		static final StaleHandOver INSTANCE = new StaleHandOver();

		private StaleHandOver() {
			super("The store has moved past this step: another delivery handed it over", null, false, false);
		}

	}

}
