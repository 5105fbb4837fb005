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

	private final StepInterceptor[] interceptors;

	private final Delayer delayer;

	private final Clock clock;

	private final int unknownWorkflowAttempts;

	/** How a step's new state is written and handed on. */
	final HandOn handOn;

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
		this.handOn = new HandOn(queue, stateStore, listeners);
		this.fencing = this.handOn.fencing;
		this.watch = watch;
		this.binder = binder;
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
				this.handOn.cancelled(delivery, ex.job(), stepName);
				return;
			}
		}
		else if (!this.fencing.claim(running, !this.redelivers || delivery.deliveryCount() > 1)) {
			this.handOn.superseded(delivery, running, job.stepsCompleted(), job.attempt());
			return;
		}
		this.handOn.started(running);
		Object value = null;
		Throwable thrown = null;
		if (MDC_ENABLED) {
			putMdc(running, workflow.name(), stepName);
		}
		Duration timeout = workflow.timeout(index);
		boolean interruptible = timeout != null || this.watch.interruptsOnCancel();
		StepRun run = new StepRun(running, stepName, this.binder);
		loop.running(run);
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
			loop.running(null);
			if (timer != null) {
				this.watch.ended(run, timer);
			}
			if (MDC_ENABLED) {
				removeMdc(running);
			}
		}
		Duration duration = Duration.ofNanos(System.nanoTime() - run.startedNanos);
		if (run.cancelRequested || run.timedOut) {
			interrupted(delivery, workflow, running, index, value, thrown, duration, run, timeout);
			return;
		}
		next(delivery, workflow, running, index, value, thrown, duration);
	}

	private static void putMdc(Job running, String workflowName, String stepName) {
		MDC.put(MDC_JOB_ID, String.valueOf(running.id()));
		MDC.put(MDC_WORKFLOW, workflowName);
		MDC.put(MDC_STEP, stepName);
		if (running.attempt() > 1) {
			MDC.put(MDC_ATTEMPT, Integer.toString(running.attempt()));
		}
	}

	private static void removeMdc(Job running) {
		MDC.remove(MDC_JOB_ID);
		MDC.remove(MDC_WORKFLOW);
		MDC.remove(MDC_STEP);
		if (running.attempt() > 1) {
			MDC.remove(MDC_ATTEMPT);
		}
	}

	/** A step that saw its job's cancel, or ran past its timeout (off the common path). */
	private void interrupted(JobDelivery delivery, RegisteredWorkflow workflow, Job running, int index,
			@Nullable Object value, @Nullable Throwable thrown, Duration duration, StepRun run,
			@Nullable Duration timeout) {
		String stepName = workflow.stepName(index);
		if (run.cancelRequested && thrown != null && StepOutcome.of(thrown) == StepOutcome.FAILED) {
			// the step stopped because of the cancel (interrupted, say): the job is cancelled, not failed
			Job cancelled = running.stopped(JobStatus.CANCELLED, stepName, "Cancelled while step \"" + stepName
					+ "\" ran, which then ended with: " + thrown);
			this.handOn.handOn(delivery, new StepResult(cancelled, stepName, StepOutcome.CANCELLED, duration, null),
					running);
			return;
		}
		Throwable outcome = thrown;
		if (run.timedOut && timeout != null) {
			StepTimeoutException timedOut = new StepTimeoutException(workflow.name(), stepName, timeout);
			if (thrown != null) {
				timedOut.initCause(thrown);
			}
			outcome = timedOut;
		}
		next(delivery, workflow, running, index, value, outcome, duration);
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
				this.handOn.handOn(delivery, new StepResult(aborted, stepName, StepOutcome.ABORT, duration, null), running);
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
		this.handOn.handOn(delivery, new StepResult(next, stepName, outcome, duration, null), running);
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
				.build();
			retry = Attempts.set(retry.toBuilder(), attempt + 1, policy.attempts(), error).build();
			logger.info("Job {} (workflow {}) attempt {} of {} at step {} failed: {}; it runs again in {} ms",
					running.id(), running.workflowName(), attempt, policy.attempts(), stepName, error.toString(),
					delay.toMillis());
			logger.debug("Job {} attempt {} failed at step {}", running.id(), attempt, stepName, error);
			StepResult result = new StepResult(retry, stepName, timedOut ? StepOutcome.TIMEOUT : StepOutcome.RETRY,
					duration, error);
			if (this.queue.supportsDelayedDelivery()) {
				this.handOn.handOn(delivery, result, running);
			}
			else if (this.handOn.record(retry)) {
				delivery.acknowledge();
				this.delayer.putOrHold(retry);
				this.handOn.notifyListeners(result);
			}
			else {
				this.handOn.superseded(delivery, retry, running.stepsCompleted(), attempt);
			}
			return;
		}
		Job failed = running.stopped(JobStatus.FAILED, stepName, traceback(error));
		if (attempt > 1 || policy.attempts() > 1) {
			failed = Attempts.set(failed.toBuilder(), attempt, policy.attempts(), error).build();
		}
		logger.warn("Job {} (workflow {}) failed at step {}{}: {}", running.id(), running.workflowName(), stepName,
				(attempt > 1) ? " after " + attempt + " attempts" : "", error.toString());
		logger.debug("Job {} failed at step {}", running.id(), stepName, error);
		this.handOn.handOn(delivery, new StepResult(failed, stepName, timedOut ? StepOutcome.TIMEOUT : StepOutcome.FAILED,
				duration, error), running);
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
			this.handOn.notifyListeners(result);
			return;
		}
		logger.warn("Job {} cannot run: {}", job.id(), reason);
		this.handOn.handOn(delivery, result, job);
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

	private void schedule(JobDelivery delivery, Job job, Instant startTime) {
		Job scheduled = (job.status() == JobStatus.SCHEDULED) ? job : job.withStatus(JobStatus.SCHEDULED,
				job.stepName());
		logger.debug("Job {} is scheduled for {}", job.id(), startTime);
		if (this.queue.supportsDelayedDelivery()) {
			this.handOn.complete(delivery, scheduled, job);
		}
		else if (this.handOn.record(scheduled)) {
			delivery.acknowledge();
			this.delayer.putOrHold(scheduled);
		}
		else {
			this.handOn.superseded(delivery, scheduled, job.stepsCompleted(), job.attempt());
		}
	}

	static String traceback(Throwable error) {
		StringWriter writer = new StringWriter();
		error.printStackTrace(new PrintWriter(writer));
		return writer.toString();
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
