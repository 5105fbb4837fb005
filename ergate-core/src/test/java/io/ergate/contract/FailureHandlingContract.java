package io.ergate.contract;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.ergate.AbortJob;
import io.ergate.Ergate;
import io.ergate.Job;
import io.ergate.JobStatus;
import io.ergate.QueryableStateStore;
import io.ergate.RetryPolicy;
import io.ergate.StepOption;
import io.ergate.Workflow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * The rules of failure handling every queue and store pair follows with the engine: retries wait on
 * the queue and end in FAILED with the last error and the count, timeouts interrupt and count as
 * failed attempts, cancels stop queued and running jobs (also from another engine), and finished
 * jobs run again. A backend's test extends this class and says how to reach its queue.
 */
public abstract class FailureHandlingContract {

	private static final String RETRYING = "contract_retrying";

	private static final String TIMING_OUT = "contract_timing_out";

	private static final String CANCELLABLE = "contract_cancellable";

	private static final String CANCELLABLE_LAST = "contract_cancellable_last";

	private static final String INTERRUPTIBLE = "contract_interruptible";

	private static final Duration RETRY_DELAY = Duration.ofMillis(300);

	/** Failures each job's flaky step still has to throw, by job id; absent: none. */
	private final Map<Object, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();

	/** When each run of a step started, by job id and step. */
	private final Map<String, List<Instant>> runs = new ConcurrentHashMap<>();

	/** Whether a running step saw its cancel, by job id. */
	private final Map<Object, Boolean> sawCancel = new ConcurrentHashMap<>();

	private QueueBackend backend;

	private final List<Ergate> engines = new ArrayList<>();

	/**
	 * Creates the backend for one test: a fresh queue and store, isolated from other tests.
	 * @return the backend
	 * @throws Exception when it cannot be reached
	 */
	protected abstract QueueBackend createBackend() throws Exception;

	@BeforeEach
	void openBackend() throws Exception {
		this.backend = createBackend();
	}

	@AfterEach
	void closeBackend() throws Exception {
		for (Ergate engine : this.engines) {
			engine.stop(Duration.ofSeconds(10));
		}
		this.backend.close();
	}

	@Test
	void aFailingStepIsRetriedAfterTheDelayWithoutHoldingAWorkerAndTheJobCompletes() {
		Ergate engine = engine(false);
		Job job = submit(engine, RETRYING, 2, 5);
		engine.start(1);
		// while it waits for its second attempt the store says so, and the one worker runs other jobs
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			Job waiting = state(job);
			assertThat(waiting.status()).isEqualTo(JobStatus.SCHEDULED);
			assertThat(waiting.attempt()).isEqualTo(2);
			assertThat(waiting.metadata()).containsEntry("max_attempts", "3");
			assertThat(waiting.metadata().get("last_error")).contains("transient failure 1");
			assertThat(waiting.exceptionTraceback()).contains("transient failure 1");
			assertThat(waiting.requestedStartTime()).isNotNull();
		});
		Job other = submit(engine, RETRYING, 0, 7);
		awaitStatus(other, JobStatus.COMPLETED);
		awaitStatus(job, JobStatus.COMPLETED);
		List<Instant> attempts = this.runs.get(job.id() + "/flaky");
		assertThat(attempts).hasSize(3);
		for (int i = 1; i < attempts.size(); i++) {
			assertThat(Duration.between(attempts.get(i - 1), attempts.get(i))).isGreaterThanOrEqualTo(
					RETRY_DELAY.minusMillis(50));
		}
		assertThat(this.runs.get(other.id() + "/flaky").get(0)).isBefore(attempts.get(2));
		Job completed = state(job);
		assertThat(completed.lastReturnValue()).isEqualTo(6);
		assertThat(completed.exceptionTraceback()).isNull();
		assertThat(completed.attempt()).isEqualTo(1);
		assertThat(completed.metadata()).doesNotContainKeys("max_attempts", "last_error");
		assertThat(this.runs.get(job.id() + "/done")).hasSize(1);
	}

	@Test
	void afterTheLastAttemptTheJobIsFailedWithTheLastErrorAndTheCountOfAttempts() {
		Ergate engine = engine(false);
		Job job = submit(engine, RETRYING, 10, 1);
		engine.start(2);
		awaitStatus(job, JobStatus.FAILED);
		Job failed = state(job);
		assertThat(failed.exceptionTraceback()).contains("transient failure 3").doesNotContain("transient failure 4");
		assertThat(failed.metadata()).containsEntry("attempt", "3").containsEntry("max_attempts", "3");
		assertThat(failed.stepName()).isEqualTo("flaky");
		assertThat(this.runs.get(job.id() + "/flaky")).hasSize(3);
		assertThat(this.runs.get(job.id() + "/done")).isNull();
	}

	@Test
	void anExceptionThePolicyNeverRetriesAndAnAbortFailOrAbortAtOnce() {
		Ergate engine = engine(false);
		Job refused = submit(engine, RETRYING, 0, -1);
		Job aborted = submit(engine, RETRYING, 0, -2);
		engine.start(2);
		awaitStatus(refused, JobStatus.FAILED);
		awaitStatus(aborted, JobStatus.ABORTED);
		assertThat(state(refused).exceptionTraceback()).contains("IllegalArgumentException");
		assertThat(this.runs.get(refused.id() + "/flaky")).hasSize(1);
		assertThat(this.runs.get(aborted.id() + "/flaky")).hasSize(1);
	}

	@Test
	void aStepPastItsTimeoutIsInterruptedAndItsAttemptFailsWithATimeout() {
		Ergate engine = engine(false);
		Job job = submit(engine, TIMING_OUT, 0, 30_000);
		Instant start = Instant.now();
		engine.start(1);
		awaitStatus(job, JobStatus.FAILED);
		assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(15));
		Job failed = state(job);
		assertThat(failed.exceptionTraceback()).contains("StepTimeoutException")
			.contains("timed out after 300 ms");
		assertThat(failed.metadata()).containsEntry("attempt", "2");
		assertThat(this.runs.get(job.id() + "/sleepy")).hasSize(2);
		// the worker moved on
		Job quick = submit(engine, TIMING_OUT, 0, 1);
		awaitStatus(quick, JobStatus.COMPLETED);
	}

	@Test
	void aScheduledJobIsCancelledWithoutRunning() {
		Ergate engine = engine(false);
		Job job = engine.submit(Job.builder(CANCELLABLE).id(newId()).initialInputValue(0)
			.requestedStartTime(Instant.now().plusSeconds(3600)).build());
		engine.start(2);
		await().atMost(Duration.ofSeconds(10)).until(() -> state(job).status() == JobStatus.SCHEDULED);
		assertThat(engine.cancel(job.id())).hasValueSatisfying((after) -> assertThat(after.status())
			.isEqualTo(JobStatus.CANCELLED));
		assertThat(state(job).status()).isEqualTo(JobStatus.CANCELLED);
		assertThat(this.runs.get(job.id() + "/wait")).isNull();
	}

	@Test
	void aQueuedJobIsCancelledAndNoWorkerRunsIt() {
		Ergate engine = engine(false);
		Job job = submit(engine, CANCELLABLE, 0, 0);
		assertThat(engine.cancel(job.id()).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
		Job after = submit(engine, RETRYING, 0, 1);
		engine.start(2);
		awaitStatus(after, JobStatus.COMPLETED);
		await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(state(job).status()).isEqualTo(JobStatus.CANCELLED));
		assertThat(this.runs.get(job.id() + "/wait")).isNull();
	}

	@Test
	void aRunningJobCancelledFromAnotherEngineStopsAfterItsStep() {
		Ergate worker = engine(false);
		Ergate elsewhere = engine(false);
		Job job = submit(worker, CANCELLABLE, 0, 0);
		worker.start(2);
		await().atMost(Duration.ofSeconds(20)).until(() -> this.runs.containsKey(job.id() + "/wait"));
		Job requested = elsewhere.cancel(job.id()).orElseThrow();
		assertThat(requested.status()).isEqualTo(JobStatus.CANCELLING);
		awaitStatus(job, JobStatus.CANCELLED);
		assertThat(this.sawCancel.get(job.id())).isTrue();
		await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.runs.get(job.id() + "/after")).isNull());
		assertThat(state(job).status()).isEqualTo(JobStatus.CANCELLED);
	}

	@Test
	void aJobCancelledDuringItsLastStepEndsAsTheStepMadeItEnd() {
		Ergate engine = engine(false);
		Job job = submit(engine, CANCELLABLE_LAST, 0, 0);
		engine.start(1);
		await().atMost(Duration.ofSeconds(20)).until(() -> this.runs.containsKey(job.id() + "/wait"));
		assertThat(engine.cancel(job.id()).orElseThrow().status()).isEqualTo(JobStatus.CANCELLING);
		awaitStatus(job, JobStatus.COMPLETED);
		// cancelling a final job is a no-op that says so
		assertThat(engine.cancel(job.id()).orElseThrow().status()).isEqualTo(JobStatus.COMPLETED);
		assertThat(engine.cancel("no-such-job-" + newId())).isEmpty();
	}

	@Test
	void aStepInterruptedByItsCancelLeavesTheJobCancelled() {
		Ergate engine = engine(true);
		Job job = submit(engine, INTERRUPTIBLE, 0, 30_000);
		engine.start(1);
		await().atMost(Duration.ofSeconds(20)).until(() -> this.runs.containsKey(job.id() + "/sleepy"));
		Instant cancelled = Instant.now();
		engine.cancel(job.id());
		awaitStatus(job, JobStatus.CANCELLED);
		assertThat(Duration.between(cancelled, Instant.now())).isLessThan(Duration.ofSeconds(10));
		assertThat(state(job).stepName()).isEqualTo("sleepy");
		assertThat(state(job).exceptionTraceback()).contains("InterruptedException");
		await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.runs.get(job.id() + "/after")).isNull());
	}

	@Test
	void aFailedJobRunsAgainFromTheStepWhereItStoppedWithThatStepsInput() {
		Ergate engine = engine(false);
		Job job = submit(engine, RETRYING, 3, 40);
		engine.start(2);
		awaitStatus(job, JobStatus.FAILED);
		Job requeued = engine.retry(job.id()).orElseThrow();
		assertThat(requeued.status()).isEqualTo(JobStatus.QUEUED);
		awaitStatus(job, JobStatus.COMPLETED);
		assertThat(this.runs.get(job.id() + "/flaky")).hasSize(4);
		assertThat(state(job).lastReturnValue()).isEqualTo(41);
		assertThatIllegalStateException().isThrownBy(() -> engine.retry(job.id()))
			.withMessageContaining("is COMPLETED")
			.withMessageContaining("only a FAILED, ABORTED or CANCELLED job can be retried");
		assertThat(engine.retry("no-such-job-" + newId())).isEmpty();
	}

	@Test
	void aCancelledJobRunsAgainFromTheStepItWouldHaveRunNext() {
		Ergate engine = engine(false);
		Job job = submit(engine, CANCELLABLE, 0, 0);
		engine.start(2);
		await().atMost(Duration.ofSeconds(20)).until(() -> this.runs.containsKey(job.id() + "/wait"));
		engine.cancel(job.id());
		awaitStatus(job, JobStatus.CANCELLED);
		assertThat(state(job).stepName()).isEqualTo("after");
		engine.retry(job.id());
		awaitStatus(job, JobStatus.COMPLETED);
		assertThat(this.runs.get(job.id() + "/wait")).hasSize(1);
		assertThat(this.runs.get(job.id() + "/after")).hasSize(1);
	}

	@Test
	void allFailedJobsOfAWorkflowRunAgainAndJobsAreListedAndDeleted() {
		Ergate engine = engine(false);
		List<Job> jobs = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			jobs.add(submit(engine, RETRYING, 3, i));
		}
		engine.start(2);
		jobs.forEach((job) -> awaitStatus(job, JobStatus.FAILED));
		assertThat(engine.jobs(RETRYING, JobStatus.FAILED, 0, 100)).extracting(Job::id)
			.containsAll(jobs.stream().map(Job::id).toList());
		assertThat(engine.retryAll(RETRYING, JobStatus.FAILED)).isEqualTo(5);
		jobs.forEach((job) -> awaitStatus(job, JobStatus.COMPLETED));
		assertThat(engine.jobs(RETRYING, JobStatus.FAILED, 0, 100)).isEmpty();
		assertThat(engine.delete(jobs.get(0).id())).isTrue();
		assertThat(this.backend.store().findById(jobs.get(0).id())).isEmpty();
		Job running = submit(engine, CANCELLABLE, 0, 0);
		await().atMost(Duration.ofSeconds(20)).until(() -> this.runs.containsKey(running.id() + "/wait"));
		assertThatIllegalStateException().isThrownBy(() -> engine.delete(running.id()))
			.withMessageContaining("only a job in a final status");
		engine.cancel(running.id());
	}

	/** An engine on the backend with the contract's workflows. */
	private Ergate engine(boolean interruptOnCancel) {
		Ergate engine = Ergate.builder(this.backend.queue(), this.backend.store())
			.backoff(Duration.ofMillis(20), Duration.ofMillis(200))
			.cancelCheckInterval(Duration.ofMillis(200))
			.interruptOnCancel(interruptOnCancel)
			.build();
		RetryPolicy policy = RetryPolicy.maxAttempts(3)
			.backoff(RETRY_DELAY, 1.0, RETRY_DELAY)
			.jitter(0.0)
			.noRetryOn(IllegalArgumentException.class);
		engine.registerWorkflow(Workflow.builder(RETRYING)
				.step("flaky", (step) -> {
					Job job = step.job();
					int run = ran(job, "flaky");
					int input = step.input(Integer.class);
					if (input == -1) {
						throw new IllegalArgumentException("never retried");
					}
					if (input == -2) {
						throw new AbortJob("aborted on purpose");
					}
					AtomicInteger left = this.failuresLeft.get(job.id());
					if (left != null && left.getAndDecrement() > 0) {
						throw new IllegalStateException("transient failure " + run);
					}
					return input + 1;
				}, policy)
				.step("done", (step) -> {
					ran(step.job(), "done");
					return step.input(Integer.class);
				})
				.build());
		engine.registerWorkflow(Workflow.builder(TIMING_OUT)
			.step("sleepy", (step) -> {
				ran(step.job(), "sleepy");
				Thread.sleep(Math.abs(step.input(Integer.class)));
				return 0;
			}, StepOption.timeout(Duration.ofMillis(300)), RetryPolicy.maxAttempts(2)
				.backoff(Duration.ofMillis(100), 1.0, Duration.ofMillis(100)))
			.build());
		// no timeout, no retry: the interrupt of a cancel alone ends its step
		engine.registerWorkflow(Workflow.builder(INTERRUPTIBLE)
			.step("sleepy", (step) -> {
				ran(step.job(), "sleepy");
				Thread.sleep(step.input(Integer.class));
				return 0;
			})
			.step("after", (step) -> ran(step.job(), "after"))
			.build());
		engine.registerWorkflow(Workflow.builder(CANCELLABLE)
			.step("wait", (step) -> waitForCancel(step))
			.step("after", (step) -> ran(step.job(), "after"))
			.build());
		engine.registerWorkflow(Workflow.builder(CANCELLABLE_LAST)
			.step("wait", (step) -> waitForCancel(step))
			.build());
		this.engines.add(engine);
		return engine;
	}

	private int waitForCancel(io.ergate.StepContext step) throws InterruptedException {
		ran(step.job(), "wait");
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (!step.cancelRequested() && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
		this.sawCancel.put(step.job().id(), step.cancelRequested());
		return 1;
	}

	private int ran(Job job, String step) {
		List<Instant> list = this.runs.computeIfAbsent(job.id() + "/" + step, (key) -> new CopyOnWriteArrayList<>());
		list.add(Instant.now());
		return list.size();
	}

	private Job submit(Ergate engine, String workflow, int failures, int input) {
		String id = newId();
		if (failures > 0) {
			this.failuresLeft.put(id, new AtomicInteger(failures));
		}
		return engine.submit(Job.builder(workflow).id(id).initialInputValue(input).build());
	}

	private static String newId() {
		return "contract-" + UUID.randomUUID();
	}

	private Job state(Job job) {
		QueryableStateStore store = this.backend.store();
		Optional<Job> state = store.findById(job.id());
		assertThat(state).as("state of job " + job.id()).isPresent();
		return state.get();
	}

	private void awaitStatus(Job job, JobStatus status) {
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(state(job).status())
			.as("status of job " + job.id()).isEqualTo(status));
	}

}
