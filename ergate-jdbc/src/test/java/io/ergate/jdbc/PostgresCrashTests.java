package io.ergate.jdbc;

import java.io.File;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import io.ergate.Ergate;
import io.ergate.Job;
import io.ergate.JobStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker process is killed with SIGKILL in the middle of steps, again and again; another engine
 * then finishes every job. No job is lost; the steps that ran more than once are counted and
 * reported (at-least-once allows them, loss is not allowed).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresCrashTests {

	static final int JOBS = 100;

	static final int KILLS = 4;

	static final long STEP_MILLIS = 40;

	private HikariDataSource dataSource;

	private String prefix;

	private JdbcOptions options;

	static JdbcOptions options(String prefix) {
		return JdbcOptions.builder()
			.tablePrefix(prefix)
			.leaseDuration(Duration.ofSeconds(2))
			.pollInterval(Duration.ofMillis(200))
			.claimBatchSize(4)
			.build();
	}

	@BeforeAll
	void createTables() throws Exception {
		this.dataSource = TestDatabases.postgresPool(8);
		this.prefix = TestDatabases.uniquePrefix("crash");
		this.options = options(this.prefix);
		JdbcSchema.initialize(this.dataSource, this.options);
		execute("CREATE TABLE " + this.prefix + "runs (job_id VARCHAR(64) NOT NULL, step VARCHAR(8) NOT NULL, "
				+ "phase VARCHAR(8) NOT NULL, pid BIGINT NOT NULL)");
	}

	@AfterAll
	void dropTables() throws Exception {
		execute("DROP TABLE IF EXISTS " + this.prefix + "runs");
		JdbcSchema.drop(this.dataSource, this.options);
		this.dataSource.close();
	}

	@Test
	void killedWorkerProcessesLoseNoJob() throws Exception {
		List<Job> jobs = new ArrayList<>();
		for (int i = 0; i < JOBS; i++) {
			jobs.add(Job.builder("crash3").id("c" + i).build());
		}
		try (JdbcJobQueue producer = new JdbcJobQueue(this.dataSource, this.options)) {
			producer.putAll(jobs);
		}
		String[] pg = TestDatabases.postgres();
		long cutOff = 0;
		for (int kill = 1; kill <= KILLS; kill++) {
			Process worker = startWorker(pg, kill);
			try {
				long pid = worker.pid();
				// let it start stepping, then kill it at a random instant
				await().alias("worker process " + kill + " started 3 step runs (or died)")
					.atMost(Duration.ofSeconds(30))
					.pollInterval(Duration.ofMillis(20))
					.until(() -> count("SELECT COUNT(*) FROM " + this.prefix + "runs WHERE pid = " + pid) >= 3
							|| !worker.isAlive());
				assertThat(worker.isAlive()).as("worker process %d is running", kill).isTrue();
				Thread.sleep(ThreadLocalRandom.current().nextLong(400, 1200));
			}
			finally {
				worker.destroyForcibly(); // SIGKILL on Linux
				worker.waitFor(10, TimeUnit.SECONDS);
			}
			long interrupted = count("SELECT COUNT(*) FROM " + this.prefix + "runs s WHERE s.phase = 'start' AND s.pid = "
					+ worker.pid() + " AND NOT EXISTS (SELECT 1 FROM " + this.prefix + "runs e WHERE e.phase = 'end' "
					+ "AND e.pid = s.pid AND e.job_id = s.job_id AND e.step = s.step)");
			long completed = count("SELECT COUNT(*) FROM " + this.prefix + "job WHERE status = 'COMPLETED'");
			System.out.printf("[pg crash] kill %d: process %d killed with %d step(s) in the middle; %d/%d jobs "
					+ "completed so far%n", kill, worker.pid(), interrupted, completed, JOBS);
			cutOff += interrupted;
		}
		assertThat(cutOff).as("steps cut off in the middle by the kills").isPositive();

		// a surviving engine finishes everything, including the rows whose leases the dead held
		long start = System.nanoTime();
		JdbcStateStore store = new JdbcStateStore(this.dataSource, this.options);
		try (JdbcJobQueue queue = new JdbcJobQueue(this.dataSource, this.options)) {
			Ergate survivor = new Ergate(queue, store);
			survivor.registerWorkflow(CrashWorkerMain.workflow(this.dataSource, this.prefix, STEP_MILLIS));
			survivor.start(4);
			try {
				await().alias("the survivor COMPLETED all " + JOBS + " jobs")
					.atMost(Duration.ofSeconds(60))
					.pollDelay(Duration.ZERO)
					.pollInterval(Duration.ofMillis(50))
					.until(() -> store.countByStatus().getOrDefault(JobStatus.COMPLETED, 0L) >= JOBS);
			}
			finally {
				survivor.stop(Duration.ofSeconds(10));
			}
		}
		long finishMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

		long completed = count("SELECT COUNT(*) FROM " + this.prefix + "job WHERE status = 'COMPLETED' "
				+ "AND steps_completed = 3");
		long rowsLeft = count("SELECT COUNT(*) FROM " + this.prefix + "queue");
		long distinctSteps = count("SELECT COUNT(*) FROM (SELECT DISTINCT job_id, step FROM " + this.prefix
				+ "runs WHERE phase = 'end') x");
		long starts = count("SELECT COUNT(*) FROM " + this.prefix + "runs WHERE phase = 'start'");
		long distinctStarted = count("SELECT COUNT(*) FROM (SELECT DISTINCT job_id, step FROM " + this.prefix
				+ "runs WHERE phase = 'start') x");
		long stepsRunMoreThanOnce = count("SELECT COUNT(*) FROM (SELECT job_id, step FROM " + this.prefix
				+ "runs WHERE phase = 'start' GROUP BY job_id, step HAVING COUNT(*) > 1) x");
		System.out.printf("[pg crash] %d kills; survivor finished in %d ms; %d/%d jobs COMPLETED, %d queue rows left; "
				+ "%d step runs started for %d steps: %d extra runs, %d steps ran more than once, "
				+ "%d steps were cut off mid-way%n", KILLS, finishMillis, completed, JOBS, rowsLeft, starts,
				distinctStarted, starts - distinctStarted, stepsRunMoreThanOnce, cutOff);
		assertThat(completed).as("jobs COMPLETED after their 3 steps").isEqualTo(JOBS);
		assertThat(rowsLeft).as("rows left in the queue").isZero();
		assertThat(distinctSteps).as("steps that ran to their end").isEqualTo(JOBS * 3);
		assertThat(stepsRunMoreThanOnce).as("steps run more than once").isLessThanOrEqualTo(starts - distinctStarted);
	}

	private Process startWorker(String[] pg, int number) throws Exception {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		List<String> command = List.of(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp",
				System.getProperty("java.class.path"), CrashWorkerMain.class.getName(), pg[0], pg[1], pg[2], this.prefix,
				"3", Long.toString(STEP_MILLIS));
		File log = new File("target", "crash-worker-" + number + ".log");
		return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
	}

	private void execute(String sql) throws Exception {
		try (Connection connection = this.dataSource.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	private long count(String sql) throws Exception {
		return Drain.count(this.dataSource, sql);
	}

}
