package io.ergate.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.zaxxer.hikari.HikariDataSource;
import io.ergate.Ergate;
import io.ergate.Job;
import io.ergate.JobDelivery;
import io.ergate.JobStatus;
import io.ergate.Workflow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * What the queue and the store must do on every supported database. Each subclass runs it against a
 * real one, on tables of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class QueueAndStoreContractTests {

	HikariDataSource dataSource;

	JdbcOptions options;

	final List<AutoCloseable> closeables = new ArrayList<>();

	abstract HikariDataSource createDataSource();

	abstract String name();

	/** How long an idle worker of another process may take to see a put. */
	abstract Duration crossProcessWakeBound();

	/** The poll interval of that test. */
	abstract Duration crossProcessPollInterval();

	@BeforeAll
	void createTables() {
		this.dataSource = createDataSource();
		this.options = JdbcOptions.builder()
			.tablePrefix(TestDatabases.uniquePrefix(name()))
			.pollInterval(Duration.ofMillis(500))
			.build();
		JdbcSchema.initialize(this.dataSource, this.options);
		JdbcSchema.initialize(this.dataSource, this.options); // idempotent
	}

	@AfterAll
	void dropTables() {
		JdbcSchema.drop(this.dataSource, this.options);
		this.dataSource.close();
	}

	@BeforeEach
	void emptyTables() throws SQLException {
		execute("DELETE FROM " + this.options.table("queue"));
		execute("DELETE FROM " + this.options.table("dead_letter"));
		execute("DELETE FROM " + this.options.table("job"));
	}

	@AfterEach
	void closeAll() throws Exception {
		for (int i = this.closeables.size() - 1; i >= 0; i--) {
			this.closeables.get(i).close();
		}
		this.closeables.clear();
	}

	JdbcJobQueue queue(JdbcOptions options) {
		JdbcJobQueue queue = new JdbcJobQueue(this.dataSource, options);
		this.closeables.add(queue);
		return queue;
	}

	JdbcJobQueue queue() {
		return queue(this.options);
	}

	JdbcStateStore store() {
		return new JdbcStateStore(this.dataSource, this.options);
	}

	// --- submit

	@Test
	void submitRecordsTheStateAndQueuesTheJobTogether() throws SQLException {
		Ergate ergate = new Ergate(queue(), store())
			.registerWorkflow(Workflow.builder("w").step("only", Integer.class, (in) -> in).build());
		Job job = ergate.submit("w", 1, null);
		assertThat(store().findById(job.id())).get().extracting(Job::status).isEqualTo(JobStatus.QUEUED);
		assertThat(count("SELECT COUNT(*) FROM " + this.options.table("queue"))).isEqualTo(1);
	}

	@Test
	void aSubmitWhoseQueueRowFailsRecordsNoState() throws SQLException {
		// a queue whose table does not exist, on the store's DataSource: the insert fails, the state
		// written in the same transaction is rolled back
		JdbcJobQueue broken = queue(this.options.toBuilder().tablePrefix("ergate_missing_").build());
		Job job = Job.builder("w").id("never-half-submitted").build();
		assertThatExceptionOfType(ErgateJdbcException.class).isThrownBy(() -> broken.submit(job, store()))
			.withMessageContaining("Submitting job never-half-submitted");
		assertThat(store().findById("never-half-submitted")).isEmpty();
		assertThat(count("SELECT COUNT(*) FROM " + this.options.table("job"))).isZero();
	}

	// --- state store

	@Test
	void storeRoundTripsEveryAttribute() {
		JdbcStateStore store = store();
		Map<String, Object> input = new LinkedHashMap<>();
		input.put("name", "ünïcode \"quoted\"");
		input.put("big", new java.math.BigInteger("123456789012345678901234567890"));
		input.put("list", List.of(1, 2.5, true));
		Job job = Job.builder("orders")
			.id("job-1")
			.stepName("ship")
			.status(JobStatus.RUNNING)
			.stepsCompleted(2)
			.percentCompleted(66.67)
			.initialInputValue(input)
			.lastReturnValue(42)
			.exceptionTraceback("trace\nline 2")
			.userContext(Map.of("tenant", "acme"))
			.requestedStartTime(Instant.parse("2030-01-02T03:04:05.123Z"))
			.metadata("traceparent", "00-abc-01")
			.build();
		store.update(job);
		assertThat(store.findById("job-1")).contains(job);
		Job numeric = Job.builder("orders").id(7).build();
		store.update(numeric);
		assertThat(store.findById(7)).contains(numeric);
		assertThat(store.findById("missing")).isEmpty();
	}

	@Test
	void storeUpsertsOneRowPerJobAndNeverGoesBack() throws SQLException {
		JdbcStateStore store = store();
		Job queued = Job.builder("w").id("a").build();
		store.update(queued);
		Job later = queued.toBuilder().status(JobStatus.QUEUED).stepName("s2").stepsCompleted(1).build();
		store.update(later);
		assertThat(store.findById("a")).contains(later);
		// a stale RUNNING state of step 1, written by a worker that lost its lease, is ignored
		store.update(queued.toBuilder().status(JobStatus.RUNNING).stepName("s1").build());
		assertThat(store.findById("a")).contains(later);
		assertThat(count("SELECT COUNT(*) FROM " + this.options.table("job"))).isEqualTo(1);
	}

	@Test
	void storeFindsPagesNewestFirstAndCountsByStatus() throws InterruptedException {
		JdbcStateStore store = store();
		for (int i = 0; i < 6; i++) {
			store.update(Job.builder((i % 2 == 0) ? "even" : "odd").id("j" + i)
				.status((i < 4) ? JobStatus.COMPLETED : JobStatus.QUEUED)
				.build());
			Thread.sleep(3);
		}
		// updating does not make a job newer
		store.update(Job.builder("even").id("j0").status(JobStatus.COMPLETED).build());
		assertThat(store.findJobs(null, null, 0, 10)).extracting(Job::id)
			.containsExactly("j5", "j4", "j3", "j2", "j1", "j0");
		assertThat(store.findJobs("even", null, 0, 10)).extracting(Job::id).containsExactly("j4", "j2", "j0");
		assertThat(store.findJobs("even", JobStatus.COMPLETED, 0, 10)).extracting(Job::id).containsExactly("j2", "j0");
		assertThat(store.findJobs(null, JobStatus.QUEUED, 0, 10)).extracting(Job::id).containsExactly("j5", "j4");
		assertThat(store.findJobs(null, null, 2, 2)).extracting(Job::id).containsExactly("j3", "j2");
		assertThat(store.countByStatus()).containsEntry(JobStatus.COMPLETED, 4L)
			.containsEntry(JobStatus.QUEUED, 2L)
			.doesNotContainKey(JobStatus.FAILED);
	}

	// --- queue

	@Test
	void completeRecordsStateHandsOnAndRemovesTheClaimedRowTogether() throws Exception {
		JdbcJobQueue queue = queue();
		JdbcStateStore store = store();
		queue.put(Job.builder("w").id("x").build());
		JobDelivery first = queue.take();
		assertThat(first.deliveryCount()).isEqualTo(1);
		assertThat(first.job().id()).isEqualTo("x");
		Job next = first.job().toBuilder().stepName("s2").stepsCompleted(1).percentCompleted(50).build();
		first.complete(next, store);
		assertThat(store.findById("x")).contains(next);
		assertThat(count("SELECT COUNT(*) FROM " + this.options.table("queue"))).isEqualTo(1);
		JobDelivery second = queue.take();
		assertThat(second.job()).isEqualTo(next);
		Job done = next.toBuilder().status(JobStatus.COMPLETED).stepsCompleted(2).percentCompleted(100).build();
		second.complete(done, store);
		assertThat(store.findById("x")).contains(done);
		assertThat(count("SELECT COUNT(*) FROM " + this.options.table("queue"))).isZero();
	}

	@Test
	void aFailingStateWriteRollsTheHandOverBack() throws Exception {
		JdbcJobQueue queue = queue();
		JdbcStateStore store = store();
		queue.put(Job.builder("w").id("y").build());
		JobDelivery delivery = queue.take();
		// a workflow name longer than the column: the state write fails inside the transaction
		Job tooLong = Job.builder("w".repeat(300)).id("y").stepsCompleted(1).build();
		org.assertj.core.api.Assertions.assertThatThrownBy(() -> delivery.complete(tooLong, store))
			.isInstanceOf(ErgateJdbcException.class);
		// the claimed row is still there, still claimed: nothing was half done
		assertThat(count("SELECT COUNT(*) FROM " + this.options.table("queue") + " WHERE claimed_by IS NOT NULL"))
			.isEqualTo(1);
		assertThat(count("SELECT COUNT(*) FROM " + this.options.table("queue"))).isEqualTo(1);
		assertThat(store.findById("y")).isEmpty();
		// the failed completion left the delivery unsettled: the engine's release gives the row back now
		delivery.release();
		assertThat(count("SELECT COUNT(*) FROM " + this.options.table("queue") + " WHERE claimed_by IS NOT NULL"))
			.isZero();
		assertThat(queue.take().job().id()).isEqualTo("y");
	}

	@Test
	void aWorkerThatLostItsLeaseCannotComplete() throws Exception {
		JdbcJobQueue queue = queue();
		JdbcStateStore store = store();
		queue.put(Job.builder("w").id("z").build());
		JobDelivery delivery = queue.take();
		execute("UPDATE " + this.options.table("queue") + " SET claimed_by = 'someone-else'");
		delivery.complete(delivery.job().toBuilder().stepsCompleted(1).stepName("s2").build(), store);
		assertThat(store.findById("z")).isEmpty();
		assertThat(count("SELECT COUNT(*) FROM " + this.options.table("queue") + " WHERE claimed_by = 'someone-else'"))
			.isEqualTo(1);
	}

	@Test
	void anExpiredLeaseMakesTheJobClaimableAgainAndAHeartbeatKeepsItAlive() throws Exception {
		JdbcOptions shortLease = this.options.toBuilder().leaseDuration(Duration.ofSeconds(1)).build();
		JdbcJobQueue alive = queue(shortLease);
		alive.put(Job.builder("w").id("long").build());
		alive.put(Job.builder("w").id("dead").build());
		JobDelivery longStep = alive.take();
		JdbcJobQueue dying = queue(shortLease);
		long claimedBefore = System.currentTimeMillis();
		JobDelivery abandoned = dying.take();
		dying.close(); // stops its heartbeat, as a killed process would
		assertThat(abandoned.job().id()).isEqualTo("dead");
		JdbcJobQueue other = queue(shortLease);
		JobDelivery again = other.take();
		long sinceClaim = System.currentTimeMillis() - claimedBefore;
		assertThat(again.job().id()).isEqualTo("dead");
		assertThat(again.deliveryCount()).isEqualTo(2);
		// not before the 1 s lease ended; soon after it (one 500 ms poll interval, plus slack)
		assertThat(sinceClaim).isBetween(1000L, 1000L + 500L + 1500L);
		// meanwhile the long step's lease was extended past its first second
		Thread.sleep(1200);
		assertThat(count("SELECT COUNT(*) FROM " + this.options.table("queue") + " WHERE job_id = 'long' AND lease_until > "
				+ System.currentTimeMillis())).isEqualTo(1);
		longStep.acknowledge();
		again.acknowledge();
		assertThat(count("SELECT COUNT(*) FROM " + this.options.table("queue"))).isZero();
	}

	@Test
	void claimsInBatchesWhenDeepAndGivesBackWhatItDidNotStartOnClose() throws Exception {
		// a long poll interval: rows are not given back for want of a taker while the test counts them
		JdbcJobQueue queue = queue(this.options.toBuilder().claimBatchSize(8).pollInterval(Duration.ofSeconds(30)).build());
		List<Job> jobs = new ArrayList<>();
		for (int i = 0; i < 30; i++) {
			jobs.add(Job.builder("w").id("b" + i).build());
		}
		queue.putAll(jobs);
		List<JobDelivery> taken = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			taken.add(queue.take());
		}
		assertThat(taken).extracting((d) -> d.job().id()).containsExactly("b0", "b1", "b2", "b3", "b4", "b5", "b6",
				"b7", "b8", "b9");
		// claims of 1, 2, 4, 8 rows: 15 claimed, 10 taken
		String claimed = "SELECT COUNT(*) FROM " + this.options.table("queue") + " WHERE claimed_by IS NOT NULL";
		assertThat(count(claimed)).isEqualTo(15);
		queue.close();
		assertThat(count(claimed)).isEqualTo(10);
		assertThat(count("SELECT SUM(delivery_count) FROM " + this.options.table("queue"))).isEqualTo(10);
		taken.get(0).release();
		assertThat(count(claimed)).isEqualTo(9);
	}

	@Test
	void tellsItsDepthAndTheAgeOfItsOldestDueJob() throws Exception {
		JdbcJobQueue queue = queue();
		assertThat(queue.depth()).isZero();
		assertThat(queue.oldestJobAge()).isNull();
		queue.put(Job.builder("w").id("due").build());
		queue.put(Job.builder("w").id("delayed").requestedStartTime(Instant.now().plusSeconds(60)).build());
		Thread.sleep(50);
		assertThat(queue.depth()).isEqualTo(2);
		assertThat(queue.oldestJobAge()).isBetween(Duration.ofMillis(40), Duration.ofSeconds(5));
		queue.take().acknowledge();
		assertThat(queue.depth()).isEqualTo(1);
		assertThat(queue.oldestJobAge()).isNull();
	}

	@Test
	void rowsClaimedInABatchAreGivenBackWhenTheEngineStops() throws Exception {
		JdbcOptions options = this.options.toBuilder().claimBatchSize(8).pollInterval(Duration.ofMillis(100)).build();
		JdbcJobQueue queue = queue(options);
		List<Job> jobs = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			jobs.add(Job.builder("slow").id("s" + i).build());
		}
		queue.putAll(jobs);
		Ergate ergate = new Ergate(queue, store());
		CountDownLatch running = new CountDownLatch(2);
		ergate.registerWorkflow(Workflow.builder("slow").step("only", Object.class, (in) -> {
			running.countDown();
			Thread.sleep(300);
			return null;
		}).build());
		ergate.start(2);
		assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
		Thread.sleep(100); // both workers busy, more rows claimed than started
		ergate.stop(Duration.ofSeconds(5));
		String claimed = "SELECT COUNT(*) FROM " + this.options.table("queue") + " WHERE claimed_by IS NOT NULL";
		await().alias("claimed rows given back after the engine stopped")
			.atMost(Duration.ofMillis(2000))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> count(claimed) == 0);
		// without closing the queue, nothing stays claimed by an engine that stopped
		assertThat(count(claimed)).isZero();
		assertThat(count("SELECT COUNT(*) FROM " + this.options.table("queue"))).isGreaterThan(0);
	}

	@Test
	void aDelayedJobIsNotClaimableBeforeItsStartTime() throws Exception {
		JdbcJobQueue queue = queue();
		Instant start = Instant.now().plusMillis(800);
		queue.put(Job.builder("w").id("later").requestedStartTime(start).build());
		queue.put(Job.builder("w").id("now").build());
		assertThat(queue.take().job().id()).isEqualTo("now");
		JobDelivery later = queue.take();
		Instant taken = Instant.now();
		assertThat(later.job().id()).isEqualTo("later");
		assertThat(taken).isAfterOrEqualTo(start.truncatedTo(ChronoUnit.MILLIS));
		assertThat(Duration.between(start, taken)).isLessThan(Duration.ofMillis(200));
	}

	@Test
	void anIdleWorkerOfAnotherProcessWakesSoonAfterAPut() throws Exception {
		JdbcOptions options = this.options.toBuilder().pollInterval(crossProcessPollInterval()).build();
		JdbcJobQueue consumer = queue(options);
		JdbcJobQueue producer = queue(options);
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			CountDownLatch waiting = new CountDownLatch(1);
			Future<Long> tookAt = executor.submit(() -> {
				waiting.countDown();
				consumer.take();
				return System.nanoTime();
			});
			waiting.await();
			Thread.sleep(700); // the consumer is asleep by now
			long putAt = System.nanoTime();
			producer.put(Job.builder("w").id("wake").build());
			long latency = TimeUnit.NANOSECONDS.toMillis(tookAt.get(5, TimeUnit.SECONDS) - putAt);
			System.out.printf("[%s] idle worker woke %d ms after a put by another queue instance%n", name(), latency);
			assertThat(latency).isLessThan(crossProcessWakeBound().toMillis());
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void poisonRowsAreDeadLetteredAndTheQueueKeepsFlowing() throws Exception {
		JdbcJobQueue queue = queue();
		JdbcStateStore store = store();
		queue.put(Job.builder("w").id("before").build());
		execute("INSERT INTO " + this.options.table("queue") + " (payload) VALUES ('{\"status\": \"BOGUS\"}')");
		execute("INSERT INTO " + this.options.table("queue") + " (payload) VALUES ('[1, 2, 3]')");
		queue.put(Job.builder("w").id("after").build());
		execute("INSERT INTO " + this.options.table("queue") + " (payload) VALUES ('{\"workflow_name\": \"raw\"}')");
		List<Object> ids = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			JobDelivery delivery = queue.take();
			ids.add(delivery.job().id());
			delivery.complete(delivery.job().toBuilder().status(JobStatus.COMPLETED).build(), store);
		}
		assertThat(ids).hasSize(3).contains("before", "after");
		// a row put by hand without an id gets one (its ready_at defaults to 0: it comes first)
		assertThat(ids.get(0)).asString().hasSize(36);
		assertThat(count("SELECT COUNT(*) FROM " + this.options.table("queue"))).isZero();
		assertThat(count("SELECT COUNT(*) FROM " + this.options.table("dead_letter"))).isEqualTo(2);
		List<String> errors = strings("SELECT error FROM " + this.options.table("dead_letter") + " ORDER BY queue_id");
		assertThat(errors.get(0)).contains("workflow_name").contains("status").doesNotContain("Exception");
		assertThat(errors.get(1)).isNotBlank();
	}

	@Test
	void aJobDeliveredTooOftenIsDeadLetteredAndTheQueueKeepsFlowing() throws Exception {
		JdbcJobQueue queue = queue(this.options.toBuilder().maxDeliveries(2).claimBatchSize(1).build());
		queue.put(Job.builder("w").id("crashes").build());
		queue.put(Job.builder("w").id("fine").build());
		for (int i = 1; i <= 2; i++) {
			JobDelivery delivery = queue.take();
			assertThat(delivery.job().id()).isEqualTo("crashes");
			assertThat(delivery.deliveryCount()).isEqualTo(i);
			delivery.release(); // as the engine does when the hand-over fails
		}
		assertThat(queue.take().job().id()).isEqualTo("fine");
		assertThat(strings("SELECT error FROM " + this.options.table("dead_letter"))).singleElement()
			.asString()
			.contains("Delivered 3 times without completing (max-deliveries 2)");
		assertThat(strings("SELECT payload FROM " + this.options.table("dead_letter"))).singleElement()
			.asString()
			.contains("crashes");
	}

	@Test
	void rejectsATablePrefixThatIsNotAnIdentifier() {
		assertThatIllegalArgumentException().isThrownBy(() -> JdbcOptions.builder().tablePrefix("x; DROP TABLE y; --"))
			.withMessageContaining("Invalid Ergate table prefix");
		assertThatIllegalArgumentException().isThrownBy(() -> JdbcSchema.script(JdbcDialect.H2, "a b"));
		assertThat(JdbcSchema.script(JdbcDialect.POSTGRESQL, "billing_")).contains("CREATE TABLE IF NOT EXISTS billing_queue")
			.doesNotContain("ergate_");
	}

	// --- through the engine

	@Test
	void twoEnginesDrainAFiveStepWorkflowAndRunEveryStepOnce() throws Exception {
		Drain.DrainResult result = Drain.run(this.dataSource, this.options, drainJobs(), 2, 2);
		System.out.printf("[%s] drained %s%n", name(), result);
		result.assertComplete();
	}

	int drainJobs() {
		return 300;
	}

	@Test
	void aDelayedJobRunsOnTimeThroughTheEngine() throws Exception {
		JdbcJobQueue queue = queue();
		JdbcStateStore store = store();
		AtomicLong ranAt = new AtomicLong();
		Ergate ergate = new Ergate(queue, store);
		ergate.registerWorkflow(Workflow.builder("delayed").step("only", Object.class, (in) -> {
			ranAt.compareAndSet(0, System.currentTimeMillis());
			return null;
		}).build());
		ergate.start(2);
		try {
			Thread.sleep(300); // workers idle
			Instant start = Instant.now().plusSeconds(2);
			Job job = ergate.submit(Job.builder("delayed").requestedStartTime(start).build());
			assertThat(store.findById(job.id()).orElseThrow().status()).isEqualTo(JobStatus.SCHEDULED);
			long deadline = System.currentTimeMillis() + 5000;
			await().alias("the delayed job ran")
				.atMost(Duration.ofMillis(5000))
				.pollInterval(Duration.ofMillis(5))
				.until(() -> ranAt.get() != 0);
			long late = ranAt.get() - start.toEpochMilli();
			System.out.printf("[%s] job due in 2 s ran %d ms after its requested_start_time%n", name(), late);
			assertThat(ranAt.get()).isNotZero();
			assertThat(late).isBetween(0L, 199L);
			// within what is left of the same 5 s (at least 10 ms: more than the 5 ms first poll delay)
			await().alias("the delayed job COMPLETED")
				.atMost(Duration.ofMillis(Math.max(10, deadline - System.currentTimeMillis())))
				.pollInterval(Duration.ofMillis(5))
				.until(() -> store.findById(job.id()).orElseThrow().status() == JobStatus.COMPLETED);
			assertThat(store.findById(job.id()).orElseThrow().status()).isEqualTo(JobStatus.COMPLETED);
		}
		finally {
			ergate.stop(Duration.ofSeconds(5));
		}
	}

	// --- helpers

	void execute(String sql) throws SQLException {
		try (Connection connection = this.dataSource.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	long count(String sql) throws SQLException {
		return Drain.count(this.dataSource, sql);
	}

	List<String> strings(String sql) throws SQLException {
		try (Connection connection = this.dataSource.getConnection();
				PreparedStatement statement = connection.prepareStatement(sql);
				ResultSet rows = statement.executeQuery()) {
			List<String> values = new ArrayList<>();
			while (rows.next()) {
				values.add(rows.getString(1));
			}
			return values;
		}
	}

}
