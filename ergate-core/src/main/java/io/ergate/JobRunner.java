package io.ergate;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.helpers.NOPMDCAdapter;

/**
 * Runs one step of one job: the heart of the worker loop. Resolves the workflow and step, records
 * the RUNNING state, runs the step, computes the next state and progress, and hands the job on.
 */
final class JobRunner {

	private static final Logger logger = LoggerFactory.getLogger(JobRunner.class);

	static final String MDC_JOB_ID = "ergate.jobId";

	static final String MDC_WORKFLOW = "ergate.workflow";

	static final String MDC_STEP = "ergate.step";

	/** Only while a step is retried (its attempt is 2 or more). */
	static final String MDC_ATTEMPT = "ergate.attempt";

	/** Without a logging backend that keeps an MDC, don't pay for filling it. */
	private static final boolean MDC_ENABLED = !(MDC.getMDCAdapter() instanceof NOPMDCAdapter);

	private final WorkflowRegistry registry;

	private final JobQueue queue;

	private final StateStore stateStore;

	private final StepBinder binder;

	private final JobListener[] listeners;

	private final StepInterceptor[] interceptors;

	private final Delayer delayer;

	private final Clock clock;

	private final int unknownWorkflowAttempts;

	/**
	 * The store's fenced writes (which also keep a cancelled job from running on), unless the queue
	 * hands over in one transaction with the store, which then applies those rules itself; else null.
	 */
	private final @Nullable FencingStateStore fencing;

	/** Whether the queue may deliver a job again after its worker died or gave it back. */
	private final boolean redelivers;

	final StepWatch watch;

	JobRunner(WorkflowRegistry registry, JobQueue queue, StateStore stateStore, StepBinder binder,
			List<JobListener> listeners, List<StepInterceptor> interceptors, Delayer delayer, Clock clock,
			int unknownWorkflowAttempts, StepWatch watch) {
		this.registry = registry;
		this.queue = queue;
		this.stateStore = stateStore;
		this.redelivers = queue instanceof ReliableJobQueue;
		this.fencing = (stateStore instanceof FencingStateStore fenced && !(queue instanceof ReliableJobQueue reliable
				&& reliable.handsOverAtomically(stateStore))) ? fenced : null;
		this.watch = watch;
		this.binder = binder;
		this.listeners = listeners.toArray(new JobListener[0]);
		this.interceptors = interceptors.toArray(new StepInterceptor[0]);
		this.delayer = delayer;
		this.clock = clock;
		this.unknownWorkflowAttempts = unknownWorkflowAttempts;
	}

	void process(JobDelivery delivery, WorkerLoop loop) {
		Job job = delivery.job();
		if (job.status().isFinal()) {
			poison(delivery, job, "Job " + job.id() + " is already " + job.status() + ": a job on the queue must be "
					+ "QUEUED, SCHEDULED or RUNNING, and a job in a final status has no step left to run (to run it "
					+ "again, put it with status QUEUED and the step to run as step_name)");
			return;
		}
		if (job.id() == null) {
			// a plain queue's job put without one: reliable queues give ids when they decode
			job = job.toBuilder().id(UUID.randomUUID().toString()).build();
		}
		Instant startTime = job.requestedStartTime();
		if (startTime != null && this.clock.instant().isBefore(startTime)) {
			schedule(delivery, job, startTime);
			return;
		}
		RegisteredWorkflow workflow = this.registry.get(job.workflowName());
		if (workflow == null) {
			unrunnable(delivery, job, UnknownWorkflowException.message(job.workflowName(), this.registry.names()));
			return;
		}
		// without a step_name (a new job, or one a Python Ergate worker put back) steps_completed picks the step
		int index = (job.stepName() != null) ? workflow.indexOf(job.stepName()) : job.stepsCompleted();
		if (index < 0 || index >= workflow.size()) {
			unrunnable(delivery, job, (job.stepName() != null) ? "Workflow \"" + workflow.name()
					+ "\" has no step named \"" + job.stepName() + "\" (known: " + workflow.knownSteps() + ")"
					: "Workflow \"" + workflow.name() + "\" has " + workflow.size() + " steps, and the job has no "
							+ "step_name and steps_completed " + job.stepsCompleted() + ": no step is left to run");
			return;
		}
		String stepName = workflow.stepName(index);
		Job running = job.withStatus(JobStatus.RUNNING, stepName);
		if (this.fencing == null) {
			try {
				this.stateStore.update(running);
			}
			catch (JobCancelledException ex) {
				cancelled(delivery, ex.job(), stepName);
				return;
			}
		}
		else if (!this.fencing.claim(running, !this.redelivers || delivery.deliveryCount() > 1)) {
			superseded(delivery, running, job.stepsCompleted(), job.attempt());
			return;
		}
		for (JobListener listener : this.listeners) {
			try {
				listener.onJobRunStart(running);
			}
			catch (RuntimeException ex) {
				logger.warn("Job listener {} failed on start of job {}", listener, running.id(), ex);
			}
		}
		Object value = null;
		Throwable thrown = null;
		if (MDC_ENABLED) {
			MDC.put(MDC_JOB_ID, String.valueOf(running.id()));
			MDC.put(MDC_WORKFLOW, workflow.name());
			MDC.put(MDC_STEP, stepName);
			if (running.attempt() > 1) {
				MDC.put(MDC_ATTEMPT, Integer.toString(running.attempt()));
			}
		}
		Duration timeout = workflow.timeout(index);
		boolean interruptible = timeout != null || this.watch.interruptsOnCancel();
		StepRun run = new StepRun(running, stepName, this.binder);
		loop.running = run;
		ScheduledFuture<?> timer = (timeout != null) ? this.watch.time(run, timeout) : null;
		try (run) {
			value = invoke(workflow, index, run, 0);
		}
		catch (Throwable ex) {
			if (ex instanceof VirtualMachineError && !(ex instanceof StackOverflowError)) {
				throw (VirtualMachineError) ex;
			}
			thrown = ex;
		}
		finally {
			run.ended(interruptible);
			loop.running = null;
			if (timer != null) {
				this.watch.ended(run, timer);
			}
			if (MDC_ENABLED) {
				MDC.remove(MDC_JOB_ID);
				MDC.remove(MDC_WORKFLOW);
				MDC.remove(MDC_STEP);
				if (running.attempt() > 1) {
					MDC.remove(MDC_ATTEMPT);
				}
			}
		}
		Duration duration = Duration.ofNanos(System.nanoTime() - run.startedNanos);
		if (run.timedOut && timeout != null) {
			StepTimeoutException timedOut = new StepTimeoutException(workflow.name(), stepName, timeout);
			if (thrown != null) {
				timedOut.initCause(thrown);
			}
			thrown = timedOut;
		}
		next(delivery, workflow, running, index, value, thrown, duration);
	}

	private @Nullable Object invoke(RegisteredWorkflow workflow, int index, StepRun run, int interceptor)
			throws Exception {
		if (interceptor < this.interceptors.length) {
			return this.interceptors[interceptor].intercept(run.job(), run.stepName(),
					() -> invoke(workflow, index, run, interceptor + 1));
		}
		try {
			return workflow.step(index).invoke(run);
		}
		catch (GoToStep goTo) {
			// a jump to no later step fails the step: interceptors see it fail, as the engine records it
			RuntimeException invalid = invalidJump(workflow, index, goTo);
			if (invalid != null) {
				throw invalid;
			}
			throw goTo;
		}
	}

	/** Why a jump cannot be taken (no such step, or not a later one), or null when it can. */
	private static @Nullable RuntimeException invalidJump(RegisteredWorkflow workflow, int index, GoToStep goTo) {
		int target = workflow.indexOf(goTo.stepName());
		String stepName = workflow.stepName(index);
		if (target < 0) {
			return new IllegalStateException("Step \"" + stepName + "\" threw GoToStep(\"" + goTo.stepName()
					+ "\") but workflow \"" + workflow.name() + "\" has no such step (known: " + workflow.knownSteps()
					+ ")");
		}
		return (target <= index) ? new ReverseGoToError(stepName, goTo.stepName()) : null;
	}

	private void next(JobDelivery delivery, RegisteredWorkflow workflow, Job running, int index,
			@Nullable Object value, @Nullable Throwable thrown, Duration duration) {
		String stepName = workflow.stepName(index);
		StepOutcome outcome = StepOutcome.of(thrown);
		int target;
		switch (outcome) {
			case NEXT -> target = index + 1;
			case GO_TO -> {
				GoToStep goTo = (GoToStep) thrown;
				// checked in invoke, unless an interceptor threw it
				RuntimeException invalid = invalidJump(workflow, index, goTo);
				if (invalid != null) {
					failStep(delivery, running, stepName, duration, invalid);
					return;
				}
				target = workflow.indexOf(goTo.stepName());
				value = goTo.returnValue();
			}
			case END -> {
				target = workflow.size();
				value = ((GoToEnd) thrown).returnValue();
			}
			case ABORT -> {
				String reason = ((AbortJob) thrown).reason();
				Job aborted = running.stopped(JobStatus.ABORTED, stepName, "AbortJob: " + reason);
				logger.info("Job {} (workflow {}) aborted at step {}: {}", running.id(), running.workflowName(), stepName,
						reason);
				handOn(delivery, new StepResult(aborted, stepName, StepOutcome.ABORT, duration, null), running);
				return;
			}
			default -> {
				failStep(delivery, running, stepName, duration, thrown, workflow.retryPolicy(index));
				return;
			}
		}
		int stepsCompleted = running.stepsCompleted() + 1;
		int remaining = workflow.remainingAfterJump(index, target);
		Job next;
		if (remaining == 0) {
			next = running.afterStep(stepName, JobStatus.COMPLETED, stepsCompleted, 100.0, value, null);
		}
		else {
			double percent = Math.round(10000.0 * stepsCompleted / (stepsCompleted + remaining)) / 100.0;
			percent = Math.min(99.99, Math.max(running.percentCompleted(), percent));
			next = running.afterStep(workflow.stepName(target), JobStatus.QUEUED, stepsCompleted, percent, value,
					null);
		}
		handOn(delivery, new StepResult(next, stepName, outcome, duration, null), running);
	}

	private void failStep(JobDelivery delivery, Job running, String stepName, Duration duration, Throwable error) {
		failStep(delivery, running, stepName, duration, error, RetryPolicy.none());
	}

	/** A failed attempt: retried later when the policy says so, else the job fails. */
	private void failStep(JobDelivery delivery, Job running, String stepName, Duration duration, Throwable error,
			RetryPolicy policy) {
		int attempt = running.attempt();
		boolean timedOut = error instanceof StepTimeoutException;
		if (!(error instanceof ReverseGoToError) && policy.retries(error, attempt)) {
			Duration delay = policy.delayAfter(attempt, ThreadLocalRandom.current().nextDouble());
			Job retry = running.toBuilder()
				.status(JobStatus.SCHEDULED)
				.requestedStartTime(this.clock.instant().plus(delay))
				.exceptionTraceback(traceback(error))
				.metadata(Job.ATTEMPT, Integer.toString(attempt + 1))
				.metadata(Job.MAX_ATTEMPTS, Integer.toString(policy.attempts()))
				.metadata(Job.LAST_ERROR, shortError(error))
				.build();
			logger.info("Job {} (workflow {}) attempt {} of {} at step {} failed: {}; it runs again in {} ms",
					running.id(), running.workflowName(), attempt, policy.attempts(), stepName, error.toString(),
					delay.toMillis());
			logger.debug("Job {} attempt {} failed at step {}", running.id(), attempt, stepName, error);
			StepResult result = new StepResult(retry, stepName, timedOut ? StepOutcome.TIMEOUT : StepOutcome.RETRY,
					duration, error);
			if (this.queue.supportsDelayedDelivery()) {
				handOn(delivery, result, running);
			}
			else if (record(retry)) {
				delivery.acknowledge();
				this.delayer.putOrHold(retry);
				notifyListeners(result);
			}
			else {
				superseded(delivery, retry, running.stepsCompleted(), attempt);
			}
			return;
		}
		Job failed = running.stopped(JobStatus.FAILED, stepName, traceback(error));
		if (attempt > 1 || policy.attempts() > 1) {
			failed = failed.toBuilder()
				.metadata(Job.ATTEMPT, Integer.toString(attempt))
				.metadata(Job.MAX_ATTEMPTS, Integer.toString(policy.attempts()))
				.metadata(Job.LAST_ERROR, shortError(error))
				.build();
		}
		logger.warn("Job {} (workflow {}) failed at step {}{}: {}", running.id(), running.workflowName(), stepName,
				(attempt > 1) ? " after " + attempt + " attempts" : "", error.toString());
		logger.debug("Job {} failed at step {}", running.id(), stepName, error);
		handOn(delivery, new StepResult(failed, stepName, timedOut ? StepOutcome.TIMEOUT : StepOutcome.FAILED,
				duration, error), running);
	}

	private static String shortError(Throwable error) {
		String text = error.toString();
		return (text.length() <= 500) ? text : text.substring(0, 497) + "...";
	}

	/**
	 * A job naming a workflow or step this engine does not know. A reliable queue gets it back a few
	 * times, for a worker that knows it (during a rolling deployment, say); then it is dead-lettered
	 * where the queue can, else recorded FAILED.
	 */
	private void unrunnable(JobDelivery delivery, Job job, String reason) {
		if (delivery.deliveryCount() < this.unknownWorkflowAttempts) {
			logger.warn("Job {} cannot run here: {}. Giving it back to the queue (delivery {} of {})", job.id(), reason,
					delivery.deliveryCount(), this.unknownWorkflowAttempts);
			delivery.release();
			return;
		}
		Job failed = job.stopped(JobStatus.FAILED, job.stepName(), reason);
		StepResult result = new StepResult(failed, String.valueOf(job.stepName()), StepOutcome.FAILED, Duration.ZERO,
				new IllegalStateException(reason));
		if (delivery.deadLetter(reason)) {
			logger.warn("Job {} cannot run: {}. It was moved to the queue's dead letters", job.id(), reason);
			this.stateStore.update(failed);
			notifyListeners(result);
			return;
		}
		logger.warn("Job {} cannot run: {}", job.id(), reason);
		handOn(delivery, result, job);
	}

	/**
	 * A job that cannot run anywhere (a final status, a payload the store cannot write): moved to the
	 * queue's dead letters, or, where the queue has none, logged with its whole state and dropped.
	 */
	void poison(JobDelivery delivery, Job job, String reason) {
		if (delivery.deadLetter(reason)) {
			logger.warn("Job {} (workflow {}, step {}) was moved to the queue's dead letters: {}", job.id(),
					job.workflowName(), job.stepName(), reason);
			return;
		}
		delivery.acknowledge();
		logger.error("Job {} (workflow {}, step {}) was dropped, and the queue has no dead letters to keep it: {}. "
				+ "The job was: {}", job.id(), job.workflowName(), job.stepName(), reason, job);
	}

	private void handOn(JobDelivery delivery, StepResult result, Job from) {
		if (complete(delivery, result.job(), from)) {
			notifyListeners(result);
		}
	}

	/** Completes a delivery with the job's new state; false when the store refused it (superseded, cancelled). */
	private boolean complete(JobDelivery delivery, Job newState, Job from) {
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
	private boolean record(Job job) {
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
	private void superseded(JobDelivery delivery, Job job, int fromStepsCompleted, int fromAttempt) {
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
	private void cancelled(JobDelivery delivery, Job cancelled, String stepName) {
		delivery.acknowledge();
		logger.info("Job {} (workflow {}) was cancelled at step {}", cancelled.id(), cancelled.workflowName(),
				stepName);
		notifyListeners(new StepResult(cancelled, stepName, StepOutcome.CANCELLED, Duration.ZERO, null));
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

	private void schedule(JobDelivery delivery, Job job, Instant startTime) {
		Job scheduled = (job.status() == JobStatus.SCHEDULED) ? job : job.withStatus(JobStatus.SCHEDULED,
				job.stepName());
		logger.debug("Job {} is scheduled for {}", job.id(), startTime);
		if (this.queue.supportsDelayedDelivery()) {
			complete(delivery, scheduled, job);
		}
		else if (record(scheduled)) {
			delivery.acknowledge();
			this.delayer.putOrHold(scheduled);
		}
		else {
			superseded(delivery, scheduled, job.stepsCompleted(), job.attempt());
		}
	}

	static String traceback(Throwable error) {
		StringWriter writer = new StringWriter();
		error.printStackTrace(new PrintWriter(writer));
		return writer.toString();
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

	/**
	 * A step jumped backwards, which Ergate does not allow.
	 */
	static final class ReverseGoToError extends IllegalStateException {

		private static final long serialVersionUID = 1L;

		ReverseGoToError(String from, String to) {
			super("ReverseGoToError: step \"" + from + "\" threw GoToStep(\"" + to
					+ "\"), which is not a later step: steps may only jump forward");
		}

		@Override
		public synchronized Throwable fillInStackTrace() {
			return this;
		}

		@Override
		public String toString() {
			return getMessage();
		}

	}

}
