package io.ergate.jdbc;

import java.io.File;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import io.ergate.Ergate;
import io.ergate.Job;
import io.ergate.JobStatus;
import io.ergate.contract.FailureCrashWorkflows;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker process is killed with SIGKILL while its jobs wait for a retry, and while its steps run
 * with a cancel requested: another engine then finishes every job as the rules say, and nothing is
 * lost.
 */
class PostgresFailureCrashTests {

	private HikariDataSource dataSource;

	private String prefix;

	private JdbcOptions options;

	@BeforeEach
	void createTables() throws Exception {
		this.dataSource = TestDatabases.postgresPool(8);
		this.prefix = TestDatabases.uniquePrefix("fcrash");
		this.options = PostgresCrashTests.options(this.prefix);
		JdbcSchema.initialize(this.dataSource, this.options);
		execute(FailureCrashWorkflows.createRunsTable(this.prefix));
	}

	@AfterEach
	void dropTables() throws Exception {
		execute("DROP TABLE IF EXISTS " + this.prefix + "runs");
		JdbcSchema.drop(this.dataSource, this.options);
		this.dataSource.close();
	}

	@Test
	void aWorkerKilledWhileItsJobsWaitForARetryLosesNone() throws Exception {
		int jobs = 20;
		Ergate survivor = FailureCrashWorkerMain.engine(this.dataSource, this.options, Duration.ofMillis(200));
		List<Job> submitted = new ArrayList<>();
		for (int i = 0; i < jobs; i++) {
			submitted.add(survivor.submit(Job.builder("crash_retry").id("r" + i).build()));
		}
		Process worker = startWorker(60_000);
		try {
			await().alias("every job waiting for its second attempt")
				.atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(20))
				.until(() -> count("SELECT COUNT(*) FROM " + this.prefix + "job WHERE status = 'SCHEDULED' AND "
						+ "metadata->>'attempt' = '2'") == jobs || !worker.isAlive());
			assertThat(worker.isAlive()).as("worker process is running").isTrue();
		}
		finally {
			worker.destroyForcibly(); // SIGKILL on Linux
			worker.waitFor(10, TimeUnit.SECONDS);
		}
		assertThat(count("SELECT COUNT(*) FROM " + this.prefix + "queue")).as("rows waiting on the queue")
			.isEqualTo(jobs);
		survivor.start(4);
		try {
			await().alias("the survivor COMPLETED every job")
				.atMost(Duration.ofSeconds(60))
				.until(() -> count("SELECT COUNT(*) FROM " + this.prefix + "job WHERE status = 'COMPLETED'") == jobs);
		}
		finally {
			survivor.stop(Duration.ofSeconds(10));
		}
		assertThat(count("SELECT COUNT(*) FROM " + this.prefix + "runs WHERE step = 'flaky'")).isEqualTo(2L * jobs);
		assertThat(count("SELECT COUNT(*) FROM " + this.prefix + "runs WHERE step = 'done'")).isEqualTo(jobs);
		assertThat(count("SELECT COUNT(*) FROM " + this.prefix + "queue")).isZero();
		System.out.printf("[pg failure crash] killed during the retry delay of %d jobs: all %d COMPLETED, each "
				+ "flaky step run twice, no row left%n", jobs, jobs);
	}

	@Test
	void aWorkerKilledDuringCancellingStepsLosesNoCancel() throws Exception {
		int jobs = 4;
		Ergate survivor = FailureCrashWorkerMain.engine(this.dataSource, this.options, Duration.ofMillis(200));
		for (int i = 0; i < jobs; i++) {
			survivor.submit(Job.builder("crash_cancel").id("c" + i).build());
		}
		// the worker checks for cancels only once a minute: it dies before it sees them
		Process worker = startWorker(60_000);
		try {
			await().alias("every job's step running in the worker process")
				.atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(20))
				.until(() -> count("SELECT COUNT(*) FROM " + this.prefix + "runs WHERE step = 'wait'") == jobs
						|| !worker.isAlive());
			assertThat(worker.isAlive()).as("worker process is running").isTrue();
			for (int i = 0; i < jobs; i++) {
				assertThat(survivor.cancel("c" + i).orElseThrow().status()).isEqualTo(JobStatus.CANCELLING);
			}
		}
		finally {
			worker.destroyForcibly(); // SIGKILL on Linux
			worker.waitFor(10, TimeUnit.SECONDS);
		}
		assertThat(count("SELECT COUNT(*) FROM " + this.prefix + "job WHERE status = 'CANCELLING'")).isEqualTo(jobs);
		survivor.start(4);
		try {
			await().alias("the survivor recorded every job CANCELLED")
				.atMost(Duration.ofSeconds(60))
				.until(() -> count("SELECT COUNT(*) FROM " + this.prefix + "job WHERE status = 'CANCELLED'") == jobs);
		}
		finally {
			survivor.stop(Duration.ofSeconds(10));
		}
		assertThat(count("SELECT COUNT(*) FROM " + this.prefix + "runs WHERE step = 'after'")).isZero();
		assertThat(count("SELECT COUNT(*) FROM " + this.prefix + "queue")).isZero();
		System.out.printf("[pg failure crash] killed during %d cancelling steps: the survivor ran them again, saw "
				+ "the cancels and recorded all %d CANCELLED, no later step ran, no row left%n", jobs, jobs);
	}

	private Process startWorker(long cancelCheckMillis) throws Exception {
		String[] pg = TestDatabases.postgres();
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		List<String> command = List.of(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp",
				System.getProperty("java.class.path"), FailureCrashWorkerMain.class.getName(), pg[0], pg[1], pg[2],
				this.prefix, "4", Long.toString(cancelCheckMillis));
		File log = new File("target", "failure-crash-worker.log");
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
