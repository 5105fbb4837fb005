package io.ergate.spring.metrics;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.ergate.Ergate;
import io.ergate.Job;
import io.ergate.JobListener;
import io.ergate.JobStatus;
import io.ergate.StepOutcome;
import io.ergate.StepResult;
import io.ergate.Workflow;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * Records every step run in the timer {@value #STEP_TIMER} (tags {@code workflow}, {@code step},
 * {@code outcome}: {@link StepOutcome#tag()}, that is {@code next}, {@code goto}, {@code end},
 * {@code abort}, {@code failed}, {@code retry}, {@code timeout} or {@code cancelled}), every job that
 * reaches a final status in the counter {@value #JOBS_COUNTER} (tags {@code workflow}, {@code status}:
 * {@code completed}, {@code failed}, {@code aborted} or {@code cancelled}, the count of cancels), and
 * every retry scheduled after a failed or timed-out attempt in the counter {@value #RETRIES_COUNTER}
 * (tags {@code workflow}, {@code step}).
 * <p>
 * A job cancelled while it waited had no step run: its {@code cancelled} timer sample is zero long.
 * <p>
 * Tag values are bounded: a workflow or step name that is not registered (a job naming an unknown
 * workflow fails without running) is tagged {@code unknown}; job ids are never tags.
 */
public class ErgateMetricsJobListener implements JobListener {

	/** The timer of step runs. */
	public static final String STEP_TIMER = "ergate.step";

	/** The counter of jobs that reached a final status. */
	public static final String JOBS_COUNTER = "ergate.jobs";

	/** The counter of retries scheduled after a failed attempt. */
	public static final String RETRIES_COUNTER = "ergate.job.retries";

	/** The tag value of names that are not registered. */
	public static final String UNKNOWN = "unknown";

	private final MeterRegistry registry;

	private final Supplier<Ergate> ergate;

	private final Map<StepKey, Timer> timers = new ConcurrentHashMap<>();

	private final Map<JobKey, Counter> counters = new ConcurrentHashMap<>();

	private final Map<StepKey, Counter> retries = new ConcurrentHashMap<>();

	/**
	 * Creates a listener.
	 * @param registry where meters go
	 * @param ergate the engine (asked lazily, as this listener is part of it), to tell registered
	 * workflow and step names from others
	 */
	public ErgateMetricsJobListener(MeterRegistry registry, Supplier<Ergate> ergate) {
		this.registry = Objects.requireNonNull(registry, "registry");
		this.ergate = Objects.requireNonNull(ergate, "ergate");
	}

	@Override
	public void onJobRunEnd(StepResult result) {
		record(result);
	}

	@Override
	public void onJobRunFailure(StepResult result) {
		record(result);
	}

	private void record(StepResult result) {
		Job job = result.job();
		StepKey key = new StepKey(job.workflowName(), result.stepName(), result.outcome());
		Timer timer = this.timers.get(key);
		if (timer == null) {
			timer = stepTimer(key);
		}
		timer.record(result.duration());
		JobStatus status = job.status();
		if (status == JobStatus.SCHEDULED
				&& (result.outcome() == StepOutcome.RETRY || result.outcome() == StepOutcome.TIMEOUT)) {
			StepKey retryKey = new StepKey(job.workflowName(), result.stepName(), StepOutcome.RETRY);
			Counter counter = this.retries.get(retryKey);
			if (counter == null) {
				counter = retryCounter(retryKey);
			}
			counter.increment();
		}
		if (status.isFinal()) {
			JobKey jobKey = new JobKey(job.workflowName(), status);
			Counter counter = this.counters.get(jobKey);
			if (counter == null) {
				counter = jobCounter(jobKey);
			}
			counter.increment();
		}
	}

	/** Builds the timer of a step and outcome; cached only for registered names, so the cache is bounded. */
	private Timer stepTimer(StepKey key) {
		Workflow workflow = this.ergate.get().workflow(key.workflow()).orElse(null);
		boolean knownStep = workflow != null
				&& workflow.steps().stream().anyMatch((step) -> step.name().equals(key.step()));
		Timer timer = Timer.builder(STEP_TIMER)
			.description("Step runs, by workflow, step and outcome")
			.tags(Tags.of("workflow", (workflow != null) ? workflow.name() : UNKNOWN, "step",
					knownStep ? key.step() : UNKNOWN, "outcome", outcome(key.outcome())))
			.register(this.registry);
		if (knownStep) {
			this.timers.putIfAbsent(key, timer);
		}
		return timer;
	}

	private Counter retryCounter(StepKey key) {
		Workflow workflow = this.ergate.get().workflow(key.workflow()).orElse(null);
		boolean knownStep = workflow != null
				&& workflow.steps().stream().anyMatch((step) -> step.name().equals(key.step()));
		Counter counter = Counter.builder(RETRIES_COUNTER)
			.description("Retries scheduled after a failed or timed-out step attempt, by workflow and step")
			.tags(Tags.of("workflow", (workflow != null) ? workflow.name() : UNKNOWN, "step",
					knownStep ? key.step() : UNKNOWN))
			.register(this.registry);
		if (knownStep) {
			this.retries.putIfAbsent(key, counter);
		}
		return counter;
	}

	private Counter jobCounter(JobKey key) {
		boolean known = this.ergate.get().workflow(key.workflow()).isPresent();
		Counter counter = Counter.builder(JOBS_COUNTER)
			.description("Jobs that reached a final status, by workflow and status")
			.tags(Tags.of("workflow", known ? key.workflow() : UNKNOWN, "status",
					key.status().name().toLowerCase(Locale.ROOT)))
			.register(this.registry);
		if (known) {
			this.counters.putIfAbsent(key, counter);
		}
		return counter;
	}

	/**
	 * Returns the tag value of an outcome.
	 * @param outcome how a step ended
	 * @return {@link StepOutcome#tag()}: {@code next}, {@code goto}, {@code end}, {@code abort},
	 * {@code failed}, {@code retry}, {@code timeout} or {@code cancelled}
	 */
	public static String outcome(StepOutcome outcome) {
		return outcome.tag();
	}

	private record StepKey(String workflow, String step, StepOutcome outcome) {
	}

	private record JobKey(String workflow, JobStatus status) {
	}

}
