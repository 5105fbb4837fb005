package io.ergate.rabbitmq;

import java.io.File;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.ergate.Ergate;
import io.ergate.Job;
import io.ergate.JobStatus;
import io.ergate.contract.FailureCrashWorkflows;
import io.ergate.jdbc.JdbcOptions;
import io.ergate.jdbc.JdbcSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker process on RabbitMQ and the JDBC store is killed with SIGKILL while its jobs wait for a
 * retry, and while its steps run with a cancel requested: another engine then finishes every job as
 * the rules say, and nothing is lost.
 */
class FailureCrashTests {

	private final TestBroker broker = TestBroker.get();

	private final String queueName = TestBroker.uniqueQueue("fcrash");

	private final String[] pg = { env("ERGATE_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test"),
			env("ERGATE_TEST_POSTGRES_USER", "postgres"), env("ERGATE_TEST_POSTGRES_PASSWORD", "") };

	private final String prefix = "t_rbx_" + Long.toHexString(System.nanoTime() & 0xffffffL) + "_";

	private final DataSource dataSource = FailureCrashWorker.dataSource(this.pg[0], this.pg[1], this.pg[2]);

	private Process worker;

	@BeforeEach
	void createTables() throws Exception {
		JdbcSchema.initialize(this.dataSource, JdbcOptions.builder().tablePrefix(this.prefix).build());
		execute(FailureCrashWorkflows.createRunsTable(this.prefix));
	}

	@AfterEach
	void cleanUp() throws Exception {
		if (this.worker != null) {
			this.worker.destroyForcibly();
		}
		this.broker.deleteQueues(this.queueName);
		execute("DROP TABLE IF EXISTS " + this.prefix + "runs, " + this.prefix + "job, " + this.prefix + "queue, "
				+ this.prefix + "dead_letter");
	}

	@Test
	void aWorkerKilledWhileItsJobsWaitForARetryLosesNone() throws Exception {
		int jobs = 20;
		Ergate survivor = engine(Duration.ofMillis(200));
		for (int i = 0; i < jobs; i++) {
			survivor.submit(Job.builder("crash_retry").id("r" + i).build());
		}
		this.worker = startWorker(60_000);
		await().alias("every job waiting for its second attempt")
			.atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(20))
			.failFast("the worker process is not running", () -> !this.worker.isAlive())
			.until(() -> count("SELECT COUNT(*) FROM " + this.prefix + "job WHERE status = 'SCHEDULED' AND "
					+ "metadata->>'attempt' = '2'") == jobs);
		kill();
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
		assertThat(this.broker.messageCount(this.queueName)).isZero();
		System.out.printf("[ergate-rabbitmq] killed during the retry delay of %d jobs: all %d COMPLETED, each flaky "
				+ "step run twice, nothing left on the queue%n", jobs, jobs);
	}

	@Test
	void aWorkerKilledDuringCancellingStepsLosesNoCancel() throws Exception {
		int jobs = 4;
		Ergate survivor = engine(Duration.ofMillis(200));
		for (int i = 0; i < jobs; i++) {
			survivor.submit(Job.builder("crash_cancel").id("c" + i).build());
		}
		// the worker checks for cancels only once a minute: it dies before it sees them
		this.worker = startWorker(60_000);
		await().alias("every job's step running in the worker process")
			.atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(20))
			.failFast("the worker process is not running", () -> !this.worker.isAlive())
			.until(() -> count("SELECT COUNT(*) FROM " + this.prefix + "runs WHERE step = 'wait'") == jobs);
		for (int i = 0; i < jobs; i++) {
			assertThat(survivor.cancel("c" + i).orElseThrow().status()).isEqualTo(JobStatus.CANCELLING);
		}
		kill();
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
		assertThat(this.broker.messageCount(this.queueName)).isZero();
		System.out.printf("[ergate-rabbitmq] killed during %d cancelling steps: their messages came back, the "
				+ "survivor recorded all %d CANCELLED, no later step ran%n", jobs, jobs);
	}

	private Ergate engine(Duration cancelCheckInterval) {
		return FailureCrashWorker.engine(this.broker.connectionFactory(), this.queueName, this.dataSource, this.prefix,
				cancelCheckInterval);
	}

	private void kill() throws InterruptedException {
		this.worker.destroyForcibly(); // SIGKILL on Linux
		assertThat(this.worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
	}

	private Process startWorker(long cancelCheckMillis) throws Exception {
		String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
		ProcessBuilder builder = new ProcessBuilder(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp",
				System.getProperty("java.class.path"), FailureCrashWorker.class.getName(), this.queueName,
				this.broker.host, String.valueOf(this.broker.port), this.broker.user, this.broker.password, this.pg[0],
				this.pg[1], this.pg[2], this.prefix, Long.toString(cancelCheckMillis));
		return builder.redirectErrorStream(true).redirectOutput(new File("target", "failure-crash-worker.log")).start();
	}

	private void execute(String sql) throws Exception {
		try (Connection connection = this.dataSource.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	private long count(String sql) throws Exception {
		try (Connection connection = this.dataSource.getConnection(); Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery(sql)) {
			rows.next();
			return rows.getLong(1);
		}
	}

	private static String env(String name, String fallback) {
		String value = System.getenv(name);
		return (value != null && !value.isEmpty()) ? value : fallback;
	}

}
