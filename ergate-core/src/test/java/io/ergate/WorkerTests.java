package io.ergate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.ergate.memory.InMemoryJobQueue;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class WorkerTests {

	private final InMemoryJobQueue queue = new InMemoryJobQueue();

	private final RecordingStateStore store = new RecordingStateStore();

	private static Workflow twoSteps(String name) {
		return Workflow.builder(name).step("a", Integer.class, (in) -> in + 1).step("b", Integer.class, (in) -> in * 2)
			.build();
	}

	@Test
	void recordsRunningBeforeAndTheNextStateAfterEachStep() {
		Ergate ergate = new Ergate(this.queue, this.store).registerWorkflow(twoSteps("wf"));
		Job job = ergate.submit("wf", 1, null);
		Engine.runUntil(ergate, 1, () -> this.store.last(job.id()).status().isFinal());
		assertThat(this.store.updates(job.id())).extracting(Job::status, Job::stepName)
			.containsExactly(org.assertj.core.groups.Tuple.tuple(JobStatus.QUEUED, null),
					org.assertj.core.groups.Tuple.tuple(JobStatus.RUNNING, "a"),
					org.assertj.core.groups.Tuple.tuple(JobStatus.QUEUED, "b"),
					org.assertj.core.groups.Tuple.tuple(JobStatus.RUNNING, "b"),
					org.assertj.core.groups.Tuple.tuple(JobStatus.COMPLETED, "b"));
		assertThat(this.store.last(job.id()).lastReturnValue()).isEqualTo(4);
	}

	@Test
	void unknownWorkflowOrStepFailsTheJobAndTheWorkerGoesOn() {
		Ergate ergate = new Ergate(this.queue, this.store).registerWorkflow(twoSteps("known"))
			.registerWorkflow(twoSteps("other"));
		this.queue.put(Job.builder("nope").id("j1").build());
		this.queue.put(Job.builder("known").id("j2").stepName("zzz").build());
		this.queue.put(Job.builder("known").id("j3").initialInputValue(1).build());
		Engine.runUntil(ergate, 1, () -> !this.store.updates("j3").isEmpty()
				&& this.store.last("j3").status().isFinal());
		assertThat(this.store.last("j1").status()).isEqualTo(JobStatus.FAILED);
		assertThat(this.store.last("j1").exceptionTraceback())
			.isEqualTo("No workflow named \"nope\" is registered (known: known, other)");
		assertThat(this.store.last("j2").status()).isEqualTo(JobStatus.FAILED);
		assertThat(this.store.last("j2").exceptionTraceback())
			.isEqualTo("Workflow \"known\" has no step named \"zzz\" (known: a, b)");
		assertThat(this.store.last("j3").status()).isEqualTo(JobStatus.COMPLETED);
	}

	@Test
	void submitRejectsUnknownWorkflowsAndGivesAnId() {
		Ergate ergate = new Ergate(this.queue, this.store).registerWorkflow(twoSteps("known"));
		assertThatExceptionOfType(UnknownWorkflowException.class).isThrownBy(() -> ergate.submit("nope", 1, null))
			.withMessage("No workflow named \"nope\" is registered (known: known)");
		Job job = ergate.submit("known", 1, null);
		assertThat(job.id()).asString().hasSize(36);
		assertThat(this.store.last(job.id()).status()).isEqualTo(JobStatus.QUEUED);
		assertThat(this.queue.size()).isEqualTo(1);
	}

	@Test
	void startAfterAStopThatTimedOutRunsNewWorkersBesideTheStepStillRunning() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch slowStarted = new CountDownLatch(1);
		Ergate ergate = new Ergate(this.queue, this.store)
			.registerWorkflow(Workflow.builder("slow").step("wait", Integer.class, (in) -> {
				slowStarted.countDown();
				try {
					release.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				return in;
			}).build())
			.registerWorkflow(twoSteps("quick"));
		Job slow = ergate.submit("slow", 1, null);
		ergate.start(1);
		try {
			assertThat(slowStarted.await(10, TimeUnit.SECONDS)).isTrue();
			assertThat(ergate.stop(Duration.ofMillis(100))).isFalse();
			// started again while the old worker still runs its step: the new one takes jobs
			ergate.start(1);
			assertThat(ergate.status().state()).isEqualTo(WorkerStatus.State.RUNNING);
			Job quick = ergate.submit("quick", 1, null);
			Engine.await(() -> this.store.last(quick.id()).status().isFinal(), Duration.ofSeconds(10));
			assertThat(this.store.last(quick.id()).lastReturnValue()).isEqualTo(4);
			assertThat(this.store.last(slow.id()).status()).isEqualTo(JobStatus.RUNNING);
			release.countDown();
			Engine.await(() -> this.store.last(slow.id()).status().isFinal(), Duration.ofSeconds(10));
			// the old worker ended after its step, as its stop asked
			Engine.await(() -> ergate.status().workers() == 1, Duration.ofSeconds(10));
		}
		finally {
			release.countDown();
			assertThat(ergate.stop(Duration.ofSeconds(10))).isTrue();
		}
		assertThat(ergate.status().workers()).isZero();
	}

	@Test
	void runReturnsWhenTheThreadIsInterrupted() throws Exception {
		Ergate ergate = new Ergate(this.queue, this.store).registerWorkflow(twoSteps("wf"));
		Thread worker = new Thread(ergate::run);
		worker.start();
		Job job = ergate.submit("wf", 1, null);
		Engine.await(() -> this.store.last(job.id()).status().isFinal(), Duration.ofSeconds(10));
		worker.interrupt();
		worker.join(5000);
		assertThat(worker.isAlive()).isFalse();
	}

	@Test
	void stopLetsTheStepInFlightFinishAndRecordsItsState() throws Exception {
		CountDownLatch started = new CountDownLatch(1);
		AtomicInteger runs = new AtomicInteger();
		Workflow slow = Workflow.builder("slow").step("a", Integer.class, (in) -> {
			runs.incrementAndGet();
			started.countDown();
			Thread.sleep(300);
			return in + 1;
		}).step("b", Integer.class, (in) -> in).build();
		Ergate ergate = new Ergate(this.queue, this.store).registerWorkflow(slow);
		Job job = ergate.submit("slow", 1, null);
		ergate.start(2);
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(ergate.status().busy()).isEqualTo(1);
		assertThat(ergate.stop(Duration.ofSeconds(5))).isTrue();
		Job last = this.store.last(job.id());
		assertThat(last.status()).isEqualTo(JobStatus.QUEUED);
		assertThat(last.stepName()).isEqualTo("b");
		assertThat(last.lastReturnValue()).isEqualTo(2);
		assertThat(runs).hasValue(1);
		assertThat(this.queue.size()).isEqualTo(1);
		assertThat(ergate.status().state()).isEqualTo(WorkerStatus.State.STOPPED);
	}

	@Test
	void storeExceptionsPropagateFromRunAndTheJobIsPutBack() {
		AtomicBoolean broken = new AtomicBoolean(true);
		StateStore failing = (job) -> {
			if (broken.get() && job.status() == JobStatus.RUNNING) {
				throw new IllegalStateException("store down");
			}
			this.store.update(job);
		};
		Ergate ergate = new Ergate(this.queue, failing).registerWorkflow(twoSteps("wf"));
		Job job = ergate.submit("wf", 1, null);
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(ergate::run).withMessage("store down");
		assertThat(this.queue.size()).isEqualTo(1);
		broken.set(false);
		Engine.runUntil(ergate, 1, () -> this.store.last(job.id()).status().isFinal());
		assertThat(this.store.last(job.id()).status()).isEqualTo(JobStatus.COMPLETED);
	}

	@Test
	void backgroundWorkersBackOffAndRecoverWhenTheStoreFails() {
		AtomicInteger failures = new AtomicInteger(3);
		StateStore flaky = (job) -> {
			if (job.status() == JobStatus.RUNNING && failures.getAndDecrement() > 0) {
				throw new IllegalStateException("store down");
			}
			this.store.update(job);
		};
		Ergate ergate = Ergate.builder(this.queue, flaky).backoff(Duration.ofMillis(5), Duration.ofMillis(20)).build()
			.registerWorkflow(twoSteps("wf"));
		Job job = ergate.submit("wf", 1, null);
		ergate.start(1);
		try {
			Engine.await(() -> ergate.status().consecutiveFailures() > 0, Duration.ofSeconds(5));
			assertThat(ergate.status().lastError()).contains("store down");
			Engine.await(() -> this.store.last(job.id()).status().isFinal(), Duration.ofSeconds(10));
			assertThat(ergate.status().consecutiveFailures()).isZero();
		}
		finally {
			ergate.stop(Duration.ofSeconds(5));
		}
		assertThat(this.store.last(job.id()).status()).isEqualTo(JobStatus.COMPLETED);
	}

	@Test
	void listenersHearEveryRunAndAThrowingOneIsIgnored() {
		List<String> heard = Collections.synchronizedList(new ArrayList<>());
		Workflow workflow = Workflow.builder("wf").step("a", Integer.class, (in) -> in)
			.step("b", Integer.class, (in) -> {
				throw new IllegalArgumentException("bad");
			})
			.build();
		Ergate ergate = Ergate.builder(this.queue, this.store).listener(new JobListener() {
			@Override
			public void onJobRunStart(Job job) {
				throw new IllegalStateException("listener bug");
			}
		}).listener(new JobListener() {
			@Override
			public void onJobRunStart(Job job) {
				heard.add("start " + job.stepName());
			}

			@Override
			public void onJobRunEnd(StepResult result) {
				heard.add("end " + result.stepName() + " " + result.outcome());
			}

			@Override
			public void onJobRunFailure(StepResult result) {
				heard.add("failure " + result.stepName() + " " + result.error().getMessage());
			}
		}).build().registerWorkflow(workflow);
		Job job = ergate.submit("wf", 1, null);
		Engine.runUntil(ergate, 1, () -> this.store.last(job.id()).status().isFinal());
		assertThat(heard).containsExactly("start a", "end a NEXT", "start b", "failure b bad");
	}

	@Test
	void interceptorsWrapEveryStep() {
		List<String> heard = Collections.synchronizedList(new ArrayList<>());
		Ergate ergate = Ergate.builder(this.queue, this.store).interceptor((job, step, invocation) -> {
			heard.add("before " + step + " " + org.slf4j.MDC.get("ergate.step"));
			Object value = invocation.proceed();
			heard.add("after " + step + " " + value);
			return value;
		}).build().registerWorkflow(twoSteps("wf"));
		Job job = ergate.submit("wf", 1, null);
		Engine.runUntil(ergate, 1, () -> this.store.last(job.id()).status().isFinal());
		assertThat(heard).containsExactly("before a a", "after a 2", "before b b", "after b 4");
	}

	@Test
	void aJobDueLaterIsScheduledAndNotRunBeforeItsTime() {
		List<Instant> ranAt = Collections.synchronizedList(new ArrayList<>());
		Workflow workflow = Workflow.builder("later").step("a", Integer.class, (in) -> {
			ranAt.add(Instant.now());
			return in;
		}).build();
		Ergate ergate = new Ergate(this.queue, this.store).registerWorkflow(workflow);
		Instant due = Instant.now().plusMillis(500);
		this.queue.put(Job.builder("later").id("late").requestedStartTime(due).build());
		Job now = ergate.submit("later", 1, null);
		Engine.runUntil(ergate, 2, () -> ranAt.size() == 2);
		assertThat(this.store.updates(now.id()).get(0).status()).isEqualTo(JobStatus.QUEUED);
		assertThat(ranAt.get(1)).isAfterOrEqualTo(due).isBefore(due.plusMillis(200));
		assertThat(this.store.last("late").status()).isEqualTo(JobStatus.COMPLETED);
	}

	/** The seed's kind of queue: no delays, so the engine holds early jobs itself. */
	static final class PlainQueue implements JobQueue {

		final BlockingQueue<Job> jobs = new LinkedBlockingQueue<>();

		@Override
		public Job getOne() throws InterruptedException {
			return this.jobs.take();
		}

		@Override
		public void put(Job job) {
			this.jobs.add(job);
		}

	}

	@Test
	void withAQueueThatCannotDelayTheEngineHoldsScheduledJobsWithoutBusyWaiting() {
		PlainQueue plain = new PlainQueue();
		AtomicInteger takes = new AtomicInteger();
		JobQueue counting = new JobQueue() {
			@Override
			public Job getOne() throws InterruptedException {
				Job job = plain.getOne();
				takes.incrementAndGet();
				return job;
			}

			@Override
			public void put(Job job) {
				plain.put(job);
			}
		};
		List<Instant> ranAt = Collections.synchronizedList(new ArrayList<>());
		Workflow workflow = Workflow.builder("later").step("a", Integer.class, (in) -> {
			ranAt.add(Instant.now());
			return in;
		}).build();
		Ergate ergate = new Ergate(counting, this.store).registerWorkflow(workflow);
		Instant due = Instant.now().plusMillis(500);
		Job job = ergate.submit(Job.builder("later").requestedStartTime(due).build());
		assertThat(this.store.last(job.id()).status()).isEqualTo(JobStatus.SCHEDULED);
		Engine.runUntil(ergate, 1, () -> ranAt.size() == 1);
		assertThat(ranAt.get(0)).isAfterOrEqualTo(due).isBefore(due.plusMillis(200));
		assertThat(takes).hasValue(1);
		// a job arriving early through the queue itself is recorded SCHEDULED and held
		Instant due2 = Instant.now().plusMillis(300);
		plain.put(Job.builder("later").id("early").requestedStartTime(due2).build());
		Engine.runUntil(ergate, 1, () -> ranAt.size() == 2);
		assertThat(this.store.updates("early")).extracting(Job::status).containsExactly(JobStatus.SCHEDULED,
				JobStatus.RUNNING, JobStatus.COMPLETED);
		assertThat(ranAt.get(1)).isAfterOrEqualTo(due2);
	}

	@Test
	void jobsAlreadyFinalAreNotRunAgain() {
		AtomicInteger runs = new AtomicInteger();
		Workflow workflow = Workflow.builder("wf").step("a", Integer.class, (in) -> runs.incrementAndGet()).build();
		Ergate ergate = new Ergate(this.queue, this.store).registerWorkflow(workflow);
		this.queue.put(Job.builder("wf").id("done").status(JobStatus.COMPLETED).build());
		Job job = ergate.submit("wf", 1, null);
		Engine.runUntil(ergate, 1, () -> this.store.last(job.id()).status().isFinal());
		assertThat(runs).hasValue(1);
		assertThat(this.store.updates("done")).isEmpty();
	}

	@Test
	void statusCountsTheWorkersRunningAStep() throws Exception {
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		Workflow blocking = Workflow.builder("blocking").step("wait", Integer.class, (in) -> {
			started.countDown();
			release.await();
			return in;
		}).build();
		Ergate ergate = new Ergate(this.queue, this.store).registerWorkflow(blocking);
		ergate.start(3);
		try {
			Engine.await(() -> ergate.status().workers() == 3, Duration.ofSeconds(10));
			assertThat(ergate.status().busy()).isZero();
			Job job = ergate.submit("blocking", 1, null);
			assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
			assertThat(ergate.status().busy()).isEqualTo(1);
			assertThat(ergate.status().state()).isEqualTo(WorkerStatus.State.RUNNING);
			release.countDown();
			Engine.await(() -> this.store.last(job.id()).status().isFinal(), Duration.ofSeconds(10));
			Engine.await(() -> ergate.status().busy() == 0, Duration.ofSeconds(10));
			assertThat(ergate.status().consecutiveFailures()).isZero();
		}
		finally {
			release.countDown();
			ergate.stop(Duration.ofSeconds(10));
		}
		assertThat(ergate.status().busy()).isZero();
		assertThat(ergate.status().workers()).isZero();
	}

}
