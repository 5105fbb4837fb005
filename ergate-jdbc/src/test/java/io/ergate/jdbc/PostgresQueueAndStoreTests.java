package io.ergate.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariDataSource;
import io.ergate.Ergate;
import io.ergate.Job;
import io.ergate.JobDelivery;
import io.ergate.JobListener;
import io.ergate.JobStatus;
import io.ergate.StepResult;
import io.ergate.Workflow;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The contract against the real PostgreSQL. */
class PostgresQueueAndStoreTests extends QueueAndStoreContractTests {

	@Override
	HikariDataSource createDataSource() {
		return TestDatabases.postgresPool(12);
	}

	@Override
	String name() {
		return "pg";
	}

	@Override
	Duration crossProcessWakeBound() {
		// LISTEN/NOTIFY: no poll wakes it this soon (5 s poll interval); a few ms when the machine is
		// idle, the rest is slack for a loaded one
		return Duration.ofMillis(300);
	}

	@Override
	Duration crossProcessPollInterval() {
		return Duration.ofSeconds(5);
	}

	@Test
	void runningMarkIsWrittenLateAndNeverOverANewerState() throws Exception {
		JdbcStateStore store = store();
		Job queued = Job.builder("w").id("r1").stepName("s1").build();
		store.update(queued);
		// a short step: its RUNNING mark is replaced by the next state (same steps_completed, which
		// the upsert's guard alone would not protect) before it is written, and never lands after it
		store.update(queued.toBuilder().status(JobStatus.RUNNING).build());
		Job failed = queued.toBuilder().status(JobStatus.FAILED).exceptionTraceback("boom").build();
		store.update(failed);
		Thread.sleep(this.options.runningStateDelay().toMillis() * 5);
		assertThat(statusInDatabase("r1")).isEqualTo("FAILED");
		assertThat(store.findById("r1")).contains(failed);
		// a long step: its RUNNING mark reaches the database, for other processes to see
		Job other = Job.builder("w").id("r2").stepName("s1").build();
		store.update(other);
		store.update(other.toBuilder().status(JobStatus.RUNNING).build());
		await().alias("the RUNNING mark of r2 reached the database")
			.atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(5))
			.until(() -> "RUNNING".equals(statusInDatabase("r2")));
		assertThat(statusInDatabase("r2")).isEqualTo("RUNNING");
		// a read through the store sees its own pending mark at once
		Job third = Job.builder("w").id("r3").stepName("s1").build();
		store.update(third);
		store.update(third.toBuilder().status(JobStatus.RUNNING).build());
		assertThat(store.findById("r3").map(Job::status)).contains(JobStatus.RUNNING);
	}

	@Test
	void withNoRunningStateDelayEveryRunningMarkIsWrittenAtOnce() throws Exception {
		JdbcStateStore store = new JdbcStateStore(this.dataSource,
				this.options.toBuilder().runningStateDelay(Duration.ZERO).build());
		Job queued = Job.builder("w").id("r4").stepName("s1").build();
		store.update(queued);
		store.update(queued.toBuilder().status(JobStatus.RUNNING).build());
		assertThat(statusInDatabase("r4")).isEqualTo("RUNNING");
	}

	// --- grouped hand-overs

	/** A queue that groups hand-overs until the given delay, claiming 1, then 2, then 4 rows. */
	private JdbcJobQueue groupingQueue(Duration handOverDelay) {
		return queue(this.options.toBuilder()
			.claimBatchSize(4)
			.handOverDelay(handOverDelay)
			.pollInterval(Duration.ofSeconds(30))
			.build());
	}

	private void putJobs(JdbcJobQueue queue, String... ids) {
		List<Job> jobs = new ArrayList<>();
		for (String id : ids) {
			jobs.add(Job.builder("w").id(id).build());
		}
		queue.putAll(jobs);
	}

	/**
	 * Puts three jobs and returns the second: the first claim takes one row (acknowledged here), the
	 * next claims two, so the third waits for a worker while the second's hand-over is made.
	 */
	private JobDelivery secondOfThree(JdbcJobQueue queue, String prefix) throws InterruptedException {
		putJobs(queue, prefix + "0", prefix + "1", prefix + "2");
		queue.take().acknowledge();
		JobDelivery second = queue.take();
		assertThat(second.job().id()).isEqualTo(prefix + "1");
		return second;
	}

	private static Job done(JobDelivery delivery) {
		return delivery.job().toBuilder().status(JobStatus.COMPLETED).stepsCompleted(1).percentCompleted(100).build();
	}

	@Test
	void handOversWaitWhileTheQueueIsDeepAndTheLastClaimedOneCommitsThemTogether() throws Exception {
		JdbcJobQueue queue = groupingQueue(Duration.ofSeconds(30));
		JdbcStateStore store = store();
		putJobs(queue, "g0", "g1", "g2");
		// a claim of one row: nothing else claimed, the hand-over commits at once
		JobDelivery g0 = queue.take();
		g0.complete(done(g0), store);
		assertThat(statusInDatabase("g0")).isEqualTo("COMPLETED");
		// a claim of two rows: g2 waits for a worker, so g1's hand-over waits to commit with g2's
		JobDelivery g1 = queue.take();
		assertThat(g1.job().id()).isEqualTo("g1");
		g1.complete(done(g1), store);
		assertThat(statusInDatabase("g1")).isNull();
		assertThat(count("SELECT COUNT(*) FROM " + this.options.table("queue") + " WHERE job_id = 'g1'")).isEqualTo(1);
		JobDelivery g2 = queue.take();
		g2.complete(done(g2), store);
		assertThat(statusInDatabase("g1")).isEqualTo("COMPLETED");
		assertThat(statusInDatabase("g2")).isEqualTo("COMPLETED");
		assertThat(count("SELECT COUNT(*) FROM " + this.options.table("queue"))).isZero();
	}

	@Test
	void aWaitingHandOverCommitsWhenItsDelayEnds() throws Exception {
		JdbcJobQueue queue = groupingQueue(Duration.ofSeconds(1));
		JdbcStateStore store = store();
		JobDelivery d1 = secondOfThree(queue, "d");
		long completed = System.nanoTime();
		d1.complete(done(d1), store);
		assertThat(statusInDatabase("d1")).isNull();
		// d2 is never taken (a long step elsewhere): the delay bounds the wait
		await().alias("the waiting hand-over of d1 committed")
			.atMost(Duration.ofSeconds(10).minusNanos(System.nanoTime() - completed))
			.pollDelay(Duration.ZERO)
			.pollInterval(Duration.ofMillis(10))
			.until(() -> statusInDatabase("d1") != null);
		long waited = Duration.ofNanos(System.nanoTime() - completed).toMillis();
		assertThat(statusInDatabase("d1")).isEqualTo("COMPLETED");
		assertThat(waited).isBetween(900L, 5000L);
	}

	@Test
	void aReadThroughTheStoreCommitsWaitingHandOversFirst() throws Exception {
		JdbcJobQueue queue = groupingQueue(Duration.ofSeconds(30));
		JdbcStateStore store = store();
		JobDelivery r1 = secondOfThree(queue, "r");
		Job next = r1.job().toBuilder().stepName("s2").stepsCompleted(1).percentCompleted(50).build();
		r1.complete(next, store);
		assertThat(statusInDatabase("r1")).isNull();
		assertThat(store.findById("r1")).contains(next);
		assertThat(statusInDatabase("r1")).isEqualTo("QUEUED");
		// the successor is on the queue, claimable
		JobDelivery r2 = queue.take();
		JobDelivery successor = queue.take();
		assertThat(List.of(r2.job().id(), successor.job().id())).containsExactlyInAnyOrder("r2", "r1");
	}

	@Test
	void closingTheQueueCommitsWaitingHandOvers() throws Exception {
		JdbcJobQueue queue = groupingQueue(Duration.ofSeconds(30));
		JdbcStateStore store = store();
		JobDelivery c1 = secondOfThree(queue, "c");
		c1.complete(done(c1), store);
		assertThat(statusInDatabase("c1")).isNull();
		queue.close();
		assertThat(statusInDatabase("c1")).isEqualTo("COMPLETED");
		// c2, claimed but never started, is given back
		assertThat(count("SELECT COUNT(*) FROM " + this.options.table("queue") + " WHERE claimed_by IS NULL"))
			.isEqualTo(1);
	}

	@Test
	void whenAGroupFailsEveryStepInItRunsAgainAndNothingIsHalfDone() throws Exception {
		JdbcJobQueue queue = groupingQueue(Duration.ofSeconds(30));
		JdbcStateStore store = store();
		JobDelivery f1 = secondOfThree(queue, "f");
		f1.complete(f1.job().toBuilder().stepName("s2").stepsCompleted(1).percentCompleted(50).build(), store);
		JobDelivery f2 = queue.take();
		// a workflow name longer than its column: f2's state write fails, and with it the whole group
		Job tooLong = Job.builder("w".repeat(300)).id("f2").stepsCompleted(1).build();
		assertThatThrownBy(() -> f2.complete(tooLong, store)).isInstanceOf(ErgateJdbcException.class);
		assertThat(statusInDatabase("f1")).isNull();
		assertThat(statusInDatabase("f2")).isNull();
		// f1's row is given back at once, to run its step again; f2's waits for the engine's release
		assertThat(strings("SELECT job_id FROM " + this.options.table("queue") + " WHERE claimed_by IS NULL"))
			.containsExactly("f1");
		f2.release();
		JobDelivery again = queue.take();
		assertThat(again.job().id()).isEqualTo("f1");
		assertThat(again.job().stepsCompleted()).isZero();
		assertThat(again.deliveryCount()).isEqualTo(2);
		assertThat(queue.take().job().id()).isEqualTo("f2");
	}

	@Test
	void aReadThroughTheStoreSeesEveryHandOverThatEndedBeforeIt() throws Exception {
		JdbcJobQueue queue = queue();
		JdbcStateStore store = store();
		int jobs = 400;
		List<Job> batch = new ArrayList<>();
		for (int i = 0; i < jobs; i++) {
			batch.add(Job.builder("three").id("v" + i).initialInputValue(i).build());
		}
		queue.putAll(batch);
		AtomicInteger seen = new AtomicInteger();
		List<String> missed = new CopyOnWriteArrayList<>();
		// when a job's end is announced its hand-over has returned: a read must see it, whichever
		// thread is committing its group
		Ergate ergate = Ergate.builder(queue, store).listener(new JobListener() {
			@Override
			public void onJobRunEnd(StepResult result) {
				if (result.job().status() == JobStatus.COMPLETED) {
					Job read = store.findById(result.job().id()).orElse(null);
					if (read == null || read.status() != JobStatus.COMPLETED) {
						missed.add(result.job().id() + ": " + ((read != null) ? read.status() : "none"));
					}
					seen.incrementAndGet();
				}
			}
		}).build();
		ergate.registerWorkflow(Workflow.builder("three")
			.step("a", Integer.class, (in) -> in + 1)
			.step("b", Integer.class, (in) -> in + 1)
			.step("c", Integer.class, (in) -> in + 1)
			.build());
		ergate.start(4);
		try {
			await().alias("every job's end announced")
				.atMost(Duration.ofMinutes(1))
				.pollInterval(Duration.ofMillis(10))
				.until(() -> seen.get() >= jobs);
		}
		finally {
			ergate.stop(Duration.ofSeconds(10));
		}
		assertThat(seen).hasValue(jobs);
		assertThat(missed).isEmpty();
	}

	@Test
	void withNoHandOverDelayEveryHandOverCommitsAlone() throws Exception {
		JdbcJobQueue queue = groupingQueue(Duration.ZERO);
		JdbcStateStore store = store();
		JobDelivery z1 = secondOfThree(queue, "z");
		z1.complete(done(z1), store);
		assertThat(statusInDatabase("z1")).isEqualTo("COMPLETED");
	}

	private String statusInDatabase(String key) throws SQLException {
		try (Connection connection = this.dataSource.getConnection();
				PreparedStatement statement = connection
					.prepareStatement("SELECT status FROM " + this.options.table("job") + " WHERE job_key = ?")) {
			statement.setString(1, key);
			try (ResultSet result = statement.executeQuery()) {
				return result.next() ? result.getString(1) : null;
			}
		}
	}

}
