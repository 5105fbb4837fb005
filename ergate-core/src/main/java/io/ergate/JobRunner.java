package io.ergate;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

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

	JobRunner(WorkflowRegistry registry, JobQueue queue, StateStore stateStore, StepBinder binder,
			List<JobListener> listeners, List<StepInterceptor> interceptors, Delayer delayer, Clock clock,
			int unknownWorkflowAttempts) {
		this.registry = registry;
		this.queue = queue;
		this.stateStore = stateStore;
		this.binder = binder;
		this.listeners = listeners.toArray(new JobListener[0]);
		this.interceptors = interceptors.toArray(new StepInterceptor[0]);
		this.delayer = delayer;
		this.clock = clock;
		this.unknownWorkflowAttempts = unknownWorkflowAttempts;
	}

	void process(JobDelivery delivery) {
		Job job = delivery.job();
		if (job.status().isFinal()) {
			logger.debug("Job {} is already {}: nothing to run", job.id(), job.status());
			delivery.acknowledge();
			return;
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
		this.stateStore.update(running);
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
		}
		long started = System.nanoTime();
		try (StepRun run = new StepRun(running, stepName, this.binder)) {
			value = invoke(workflow, index, run, 0);
		}
		catch (Throwable ex) {
			if (ex instanceof VirtualMachineError && !(ex instanceof StackOverflowError)) {
				throw (VirtualMachineError) ex;
			}
			thrown = ex;
		}
		finally {
			if (MDC_ENABLED) {
				MDC.remove(MDC_JOB_ID);
				MDC.remove(MDC_WORKFLOW);
				MDC.remove(MDC_STEP);
			}
		}
		Duration duration = Duration.ofNanos(System.nanoTime() - started);
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
		int target;
		StepOutcome outcome;
		if (thrown == null) {
			target = index + 1;
			outcome = StepOutcome.NEXT;
		}
		else if (thrown instanceof GoToStep goTo) {
			// checked in invoke, unless an interceptor threw it
			RuntimeException invalid = invalidJump(workflow, index, goTo);
			if (invalid != null) {
				failStep(delivery, running, stepName, duration, invalid);
				return;
			}
			target = workflow.indexOf(goTo.stepName());
			value = goTo.returnValue();
			outcome = StepOutcome.GO_TO;
		}
		else if (thrown instanceof GoToEnd end) {
			target = workflow.size();
			value = end.returnValue();
			outcome = StepOutcome.END;
		}
		else if (thrown instanceof AbortJob abort) {
			Job aborted = running.stopped(JobStatus.ABORTED, stepName, "AbortJob: " + abort.reason());
			logger.debug("Job {} aborted at step {}: {}", running.id(), stepName, abort.reason());
			handOn(delivery, new StepResult(aborted, stepName, StepOutcome.ABORT, duration, null));
			return;
		}
		else {
			failStep(delivery, running, stepName, duration, thrown);
			return;
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
		handOn(delivery, new StepResult(next, stepName, outcome, duration, null));
	}

	private void failStep(JobDelivery delivery, Job running, String stepName, Duration duration, Throwable error) {
		Job failed = running.stopped(JobStatus.FAILED, stepName, traceback(error));
		logger.debug("Job {} failed at step {}", running.id(), stepName, error);
		handOn(delivery, new StepResult(failed, stepName, StepOutcome.FAILED, duration, error));
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
		handOn(delivery, result);
	}

	private void handOn(JobDelivery delivery, StepResult result) {
		delivery.complete(result.job(), this.stateStore);
		notifyListeners(result);
	}

	private void notifyListeners(StepResult result) {
		boolean failed = result.outcome() == StepOutcome.FAILED;
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
			delivery.complete(scheduled, this.stateStore);
		}
		else {
			this.stateStore.update(scheduled);
			delivery.acknowledge();
			this.delayer.schedule(scheduled, startTime);
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
