package io.ergate;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ergate.memory.InMemoryJobQueue;
import io.ergate.memory.InMemoryStateStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a worker does when something other than a step fails: an error that kills its loop, a queue
 * that keeps throwing, a stop in the middle of a back-off; and how failed and aborted jobs are logged.
 */
class WorkerFailureTests {

	private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

	private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

	@BeforeEach
	void captureLogs() {
		this.logs.start();
		this.root.addAppender(this.logs);
	}

	@AfterEach
	void releaseLogs() {
		this.root.detachAppender(this.logs);
	}

	@Test
	void aWorkerKilledByAnErrorIsReplacedAndItsJobRunsAgain() {
		InMemoryStateStore store = new InMemoryStateStore();
		Ergate ergate = Ergate.builder(new InMemoryJobQueue(), store).backoff(Duration.ofMillis(10), Duration.ofMillis(50))
			.build();
		AtomicBoolean thrown = new AtomicBoolean();
		ergate.registerWorkflow(Workflow.builder("w").step("only", Integer.class, (in) -> {
			if (thrown.compareAndSet(false, true)) {
				throw new OutOfMemoryError("Java heap space (test)");
			}
			return in + 1;
		}).build());
		Job job = ergate.submit("w", 1, null);
		ergate.start(2);
		try {
			await().atMost(Duration.ofSeconds(10))
				.until(() -> store.findById(job.id()).map(Job::status).orElse(null) == JobStatus.COMPLETED);
			await().atMost(Duration.ofSeconds(5)).until(() -> ergate.status().workers() == 2);
			assertThat(store.findById(job.id()).orElseThrow().lastReturnValue()).isEqualTo(2);
			assertThat(ergate.status().lastError()).contains("OutOfMemoryError");
			assertThat(this.logs.list).anySatisfy((event) -> {
				assertThat(event.getLevel()).isEqualTo(Level.ERROR);
				assertThat(event.getFormattedMessage()).contains("died of java.lang.OutOfMemoryError")
					.contains("a new worker replaces it");
			});
		}
		finally {
			ergate.stop(Duration.ofSeconds(5));
		}
	}

	@Test
	void aQueueThatKeepsFailingLogsItsStackTraceOncePerStreakAndItsRecovery() {
		AtomicInteger failuresLeft = new AtomicInteger(6);
		InMemoryJobQueue real = new InMemoryJobQueue();
		JobQueue flaky = new JobQueue() {
			@Override
			public Job getOne() throws InterruptedException {
				if (failuresLeft.getAndDecrement() > 0) {
					throw new IllegalStateException("queue is down");
				}
				return real.getOne();
			}

			@Override
			public void put(Job job) {
				real.put(job);
			}
		};
		InMemoryStateStore store = new InMemoryStateStore();
		Ergate ergate = Ergate.builder(flaky, store).backoff(Duration.ofMillis(5), Duration.ofMillis(20)).build();
		ergate.registerWorkflow(Workflow.builder("w").step("only", Integer.class, (in) -> in).build());
		Job job = ergate.submit("w", 1, null);
		ergate.start(2);
		try {
			await().atMost(Duration.ofSeconds(10))
				.until(() -> store.findById(job.id()).map(Job::status).orElse(null) == JobStatus.COMPLETED);
		}
		finally {
			ergate.stop(Duration.ofSeconds(5));
		}
		List<ILoggingEvent> failures = this.logs.list.stream()
			.filter((event) -> event.getFormattedMessage().startsWith("Taking a job from the queue failed"))
			.toList();
		assertThat(failures).hasSize(6);
		assertThat(failures.stream().filter((event) -> event.getThrowableProxy() != null)).hasSize(1);
		assertThat(this.logs.list).anySatisfy((event) -> assertThat(event.getFormattedMessage())
			.contains("handle jobs again, after 6 failure(s) in a row"));
	}

	@Test
	void aStopDuringABackOffLetsNothingEscapeTheWorkerThreads() throws Exception {
		List<Throwable> escaped = new CopyOnWriteArrayList<>();
		ExecutorService executor = Executors.newFixedThreadPool(2, (task) -> {
			Thread thread = new Thread(task);
			thread.setUncaughtExceptionHandler((t, ex) -> escaped.add(ex));
			return thread;
		});
		JobQueue broken = new JobQueue() {
			@Override
			public Job getOne() {
				throw new IllegalStateException("queue is down");
			}

			@Override
			public void put(Job job) {
			}
		};
		Ergate ergate = Ergate.builder(broken, new InMemoryStateStore())
			.backoff(Duration.ofMillis(200), Duration.ofSeconds(1))
			.build();
		ergate.start(2, executor);
		Thread.sleep(300);
		assertThat(ergate.stop(Duration.ofSeconds(5))).isTrue();
		executor.shutdown();
		assertThat(executor.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
		assertThat(escaped).isEmpty();
	}

	@Test
	void aFailedJobIsLoggedAtWarnAndAnAbortedOneAtInfo() {
		InMemoryStateStore store = new InMemoryStateStore();
		Ergate ergate = new Ergate(new InMemoryJobQueue(), store);
		ergate.registerWorkflow(Workflow.builder("w").step("check", String.class, (in) -> {
			if ("abort".equals(in)) {
				throw new AbortJob("not wanted");
			}
			throw new IllegalArgumentException("no such customer: " + in);
		}).build());
		Job failed = ergate.submit("w", "ada", null);
		Job aborted = ergate.submit("w", "abort", null);
		Engine.runUntil(ergate, 1, () -> store.findById(failed.id()).map(Job::status).orElse(null) == JobStatus.FAILED
				&& store.findById(aborted.id()).map(Job::status).orElse(null) == JobStatus.ABORTED);
		assertThat(this.logs.list).filteredOn((event) -> event.getLevel() == Level.WARN)
			.anySatisfy((event) -> assertThat(event.getFormattedMessage()).contains(String.valueOf(failed.id()))
				.contains("workflow w").contains("step check").contains("no such customer: ada"));
		assertThat(this.logs.list).filteredOn((event) -> event.getLevel() == Level.INFO)
			.anySatisfy((event) -> assertThat(event.getFormattedMessage()).contains(String.valueOf(aborted.id()))
				.contains("aborted at step check").contains("not wanted"));
	}

}
