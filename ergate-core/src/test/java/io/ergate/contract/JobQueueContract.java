package io.ergate.contract;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.ergate.Ergate;
import io.ergate.FencingStateStore;
import io.ergate.Job;
import io.ergate.JobStatus;
import io.ergate.QueryableStateStore;
import io.ergate.ReliableJobQueue;
import io.ergate.StateStore;
import io.ergate.Workflow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The rules every queue and store pair follows with the engine: each step once when nothing fails,
 * poison dead-lettered with a reason and never blocking the others, an outage dead-lettering nothing,
 * delays honoured, a dead worker's job run again, ids given to jobs without one, and a step delivered
 * again after its hand-over not forking its job. A backend's test extends this class and says how to
 * reach its queue.
 */
public abstract class JobQueueContract {

	/** The contract's workflow: three steps, each counting its runs per job. */
	protected static final String WORKFLOW = "contract_steps";

	private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

	private final Map<Object, Instant> firstStepStarts = new ConcurrentHashMap<>();

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
	void everyStepRunsOnceAndEveryJobCompletes() {
		Ergate engine = engine(this.backend.store());
		List<Job> jobs = submit(engine, 30);
		engine.start(2);
		awaitCompleted(jobs);
		for (Job job : jobs) {
			assertThat(runsOf(job)).containsExactly(1, 1, 1);
			assertThat(this.backend.store().findById(job.id()).orElseThrow().lastReturnValue()).isEqualTo(3);
		}
		assertThat(this.backend.deadLetterReasons()).isEmpty();
	}

	@Test
	void aJobWhoseStateCannotBeRecordedIsDeadLetteredWhileTheOthersGoThrough() {
		Set<Object> poison = ConcurrentHashMap.newKeySet();
		StateStore refusing = (job) -> {
			if (poison.contains(job.id())) {
				throw new IllegalStateException("value overflows numeric format");
			}
			this.backend.store().update(job);
		};
		Ergate engine = engine(refusing);
		for (int i = 0; i < 2; i++) {
			poison.add(engine.submit(WORKFLOW, 1, null).id());
		}
		engine.start(2);
		// other jobs keep coming, as in production: they go through while the poison keeps failing
		List<Job> valid = new ArrayList<>();
		await().alias("both poison jobs dead-lettered")
			.atMost(Duration.ofSeconds(30))
			.pollDelay(Duration.ZERO)
			.pollInterval(Duration.ofMillis(10))
			.until(() -> {
				if (this.backend.deadLetterReasons().size() >= 2) {
					return true;
				}
				valid.add(engine.submit(WORKFLOW, 1, null)); // one more valid job every 10 ms meanwhile
				return false;
			});
		awaitCompleted(valid);
		assertThat(this.backend.deadLetterReasons()).hasSize(2)
			.allSatisfy((reason) -> assertThat(reason).contains("failed 3 times")
				.contains("value overflows numeric format"));
		assertThat(poison).allSatisfy((id) -> assertThat(this.runs.get(id + "/step_a")).isNull());
		assertThat(engine.status().workers()).isEqualTo(2);
	}

	@Test
	void anOutageOfTheStoreDeadLettersNothing() {
		AtomicBoolean down = new AtomicBoolean();
		StateStore flaky = (job) -> {
			if (down.get()) {
				throw new IllegalStateException("connection refused");
			}
			this.backend.store().update(job);
		};
		Ergate engine = engine(flaky);
		List<Job> jobs = submit(engine, 10);
		down.set(true);
		engine.start(2);
		await().pollDelay(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
			.until(() -> engine.status().consecutiveFailures() > 3);
		down.set(false);
		awaitCompleted(jobs);
		assertThat(this.backend.deadLetterReasons()).isEmpty();
	}

	@Test
	void aReleasedJobIsDeliveredAgain() throws Exception {
		assumeTrue(this.backend.queue() instanceof ReliableJobQueue, "the queue gives jobs back only when reliable");
		ReliableJobQueue queue = (ReliableJobQueue) this.backend.queue();
		Job job = engine(this.backend.store()).submit(WORKFLOW, 1, null);
		var first = queue.take();
		assertThat(first.job().id()).isEqualTo(job.id());
		first.release();
		var second = queue.take();
		assertThat(second.job().id()).isEqualTo(job.id());
		assertThat(second.deliveryCount()).isGreaterThan(first.deliveryCount());
		second.release();
	}

	@Test
	void aDelayedJobWaitsForItsStartTime() {
		Ergate engine = engine(this.backend.store());
		Instant start = Instant.now().plusMillis(800);
		Job job = engine.submit(Job.builder(WORKFLOW).initialInputValue(0).requestedStartTime(start).build());
		engine.start(2);
		awaitCompleted(List.of(job));
		assertThat(this.firstStepStarts.get(job.id())).isAfterOrEqualTo(start);
	}

	@Test
	void finalAndUnknownJobsOnTheQueueAreDeadLetteredWithTheirReason() {
		Ergate engine = engine(this.backend.store());
		this.backend.queue().put(Job.builder(WORKFLOW).id("done-1").status(JobStatus.COMPLETED).build());
		this.backend.queue().put(Job.builder(WORKFLOW).id("failed-1").status(JobStatus.FAILED).build());
		this.backend.queue().put(Job.builder("no_such_workflow").id("unknown-1").build());
		List<Job> valid = submit(engine, 5);
		engine.start(2);
		awaitCompleted(valid);
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(this.backend.deadLetterReasons())
			.hasSize(3)
			.anySatisfy((reason) -> assertThat(reason).contains("done-1").contains("already COMPLETED"))
			.anySatisfy((reason) -> assertThat(reason).contains("failed-1").contains("already FAILED"))
			.anySatisfy((reason) -> assertThat(reason).contains("no_such_workflow").contains(WORKFLOW)));
	}

	@Test
	void poisonPayloadsAreDeadLetteredWithAReasonAndTheQueueKeepsFlowing() {
		assumeTrue(this.backend.takesRawPayloads(), "the queue carries Java objects, not payloads");
		Ergate engine = engine(this.backend.store());
		Map<String, String> poison = new java.util.LinkedHashMap<>();
		poison.put("{\"workflow_name\": \"" + WORKFLOW + "\", \"status\": \"ABORTED\"}", "already ABORTED");
		poison.put("null", "JSON null");
		poison.put("{\"workflow_name\": null}", "workflow_name");
		poison.put("{\"workflow_name\": \"" + WORKFLOW + "\", \"steps_completed\": \"many\"}", "steps_completed");
		poison.put("{\"workflow_name\": \"" + WORKFLOW + "\", \"requested_start_time\": 1e20}", "requested_start_time");
		poison.put("{\"workflow_name\": \"" + WORKFLOW + "\", \"initial_input_value\": \"" + "x".repeat(1_100_000)
				+ "\"}", "exceeds the limit");
		List<Job> valid = new ArrayList<>();
		for (String payload : poison.keySet()) {
			this.backend.putRaw(payload);
			valid.add(engine.submit(WORKFLOW, 1, null));
		}
		engine.start(2);
		awaitCompleted(valid);
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.backend.deadLetterReasons()).hasSize(poison.size()));
		List<String> reasons = this.backend.deadLetterReasons();
		for (String fragment : poison.values()) {
			assertThat(reasons).as("a dead letter naming " + fragment).anySatisfy((reason) -> assertThat(reason)
				.contains(fragment));
		}
		assertThat(reasons).noneSatisfy((reason) -> assertThat(reason).contains("NullPointerException"));
	}

	@Test
	void aJobWithoutAnIdGetsOneThatItKeeps() {
		assumeTrue(this.backend.takesRawPayloads(), "the queue carries Java objects, not payloads");
		Ergate engine = engine(this.backend.store());
		for (int i = 0; i < 3; i++) {
			this.backend.putRaw("{\"workflow_name\": \"" + WORKFLOW + "\", \"initial_input_value\": 10}");
		}
		engine.start(2);
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(completedWithInput(10)).hasSize(3));
		for (Job job : completedWithInput(10)) {
			assertThat(runsOf(job)).containsExactly(1, 1, 1);
		}
		assertThat(this.backend.deadLetterReasons()).isEmpty();
	}

	@Test
	void theJobOfAWorkerThatDiedRunsAgain() throws Exception {
		assumeTrue(this.backend.queue() instanceof ReliableJobQueue, "only a reliable queue keeps a taken job");
		Ergate engine = engine(this.backend.store());
		Job job = engine.submit(WORKFLOW, 1, null);
		this.backend.takeAndDie((taken) -> assertThat(taken.id()).isEqualTo(job.id()));
		engine.start(2);
		awaitCompleted(List.of(job));
		assertThat(runsOf(job)).containsExactly(1, 1, 1);
	}

	@Test
	void aStepDeliveredAgainAfterItsSuccessorWasPutDoesNotForkTheJob() throws Exception {
		assumeFencing();
		Ergate engine = engine(this.backend.store());
		Job job = engine.submit(WORKFLOW, 1, null);
		// the dead worker ran step_a, recorded the job's next state and put its successor, then died
		this.backend.takeAndDie((taken) -> {
			Job next = afterFirstStep(taken);
			this.backend.store().update(next);
			this.backend.queue().put(next);
		});
		engine.start(2);
		awaitCompleted(List.of(job));
		await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(runsOf(job)).containsExactly(0, 1, 1));
	}

	@Test
	void aStepDeliveredAgainAfterItsStateWasRecordedButBeforeItsSuccessorWasPutCompletes() throws Exception {
		assumeFencing();
		Ergate engine = engine(this.backend.store());
		Job job = engine.submit(WORKFLOW, 1, null);
		// the dead worker recorded the job's next state and died before putting its successor
		this.backend.takeAndDie((taken) -> this.backend.store().update(afterFirstStep(taken)));
		engine.start(2);
		awaitCompleted(List.of(job));
		await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(runsOf(job)).containsExactly(0, 1, 1));
	}

	private void assumeFencing() {
		assumeTrue(this.backend.queue() instanceof ReliableJobQueue reliable
				&& this.backend.store() instanceof FencingStateStore
				&& !reliable.handsOverAtomically(this.backend.store()),
				"the queue hands steps over atomically with the store: a handed-over step is never delivered again");
	}

	private static Job afterFirstStep(Job taken) {
		return taken.toBuilder()
			.stepName("step_b")
			.status(JobStatus.QUEUED)
			.stepsCompleted(1)
			.percentCompleted(33.33)
			.lastReturnValue(((Number) taken.initialInputValue()).intValue() + 1)
			.build();
	}

	/** An engine on the backend's queue and the given store, with the contract's workflow. */
	protected Ergate engine(StateStore store) {
		Ergate engine = Ergate.builder(this.backend.queue(), store)
			.backoff(Duration.ofMillis(20), Duration.ofMillis(200))
			.unknownWorkflowAttempts(2)
			.build();
		engine.registerWorkflow(Workflow.builder(WORKFLOW)
			.step("step_a", (step) -> {
				this.firstStepStarts.putIfAbsent(step.job().id(), Instant.now());
				return count(step.job(), "step_a") + step.input(Integer.class);
			})
			.step("step_b", (step) -> count(step.job(), "step_b") + step.input(Integer.class))
			.step("step_c", (step) -> count(step.job(), "step_c") + step.input(Integer.class))
			.build());
		this.engines.add(engine);
		return engine;
	}

	private int count(Job job, String step) {
		this.runs.computeIfAbsent(job.id() + "/" + step, (key) -> new AtomicInteger()).incrementAndGet();
		return 1;
	}

	private List<Integer> runsOf(Job job) {
		List<Integer> counts = new ArrayList<>();
		for (String step : List.of("step_a", "step_b", "step_c")) {
			AtomicInteger count = this.runs.get(job.id() + "/" + step);
			counts.add((count != null) ? count.get() : 0);
		}
		return counts;
	}

	private List<Job> submit(Ergate engine, int count) {
		List<Job> jobs = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			jobs.add(engine.submit(WORKFLOW, 0, null));
		}
		return jobs;
	}

	private List<Job> completedWithInput(int input) {
		return this.backend.store().findJobs(WORKFLOW, JobStatus.COMPLETED, 0, 1000).stream()
			.filter((job) -> Integer.valueOf(input).equals(job.initialInputValue()))
			.toList();
	}

	private void awaitCompleted(List<Job> jobs) {
		QueryableStateStore store = this.backend.store();
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(jobs).allSatisfy((job) -> {
			Optional<Job> state = store.findById(job.id());
			assertThat(state).as("state of job " + job.id()).isPresent();
			assertThat(state.get().status()).as("status of job " + job.id()).isEqualTo(JobStatus.COMPLETED);
		}));
	}

}
