package io.ergate.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.ergate.Ergate;
import io.ergate.RetryPolicy;
import io.ergate.Workflow;

/**
 * The worker process of {@link PostgresFailureCrashTests}: runs the "crash_retry" and "crash_cancel"
 * workflows until it is killed. Steps record each run in a table outside the queue's transactions.
 * <p>
 * Arguments: JDBC URL, user, password, table prefix, workers, cancel check interval in milliseconds.
 */
public final class FailureCrashWorkerMain {

	private FailureCrashWorkerMain() {
	}

	public static void main(String[] args) throws Exception {
		String prefix = args[3];
		int workers = Integer.parseInt(args[4]);
		HikariDataSource dataSource = TestDatabases.pool(args[0], args[1], args[2], workers + 3);
		JdbcOptions options = PostgresCrashTests.options(prefix);
		Ergate ergate = engine(dataSource, options, Duration.ofMillis(Long.parseLong(args[5])));
		ergate.start(workers);
		System.out.println("worker process " + ProcessHandle.current().pid() + " started");
		Thread.sleep(Duration.ofMinutes(5).toMillis()); // until killed
		ergate.stop(Duration.ofSeconds(5));
	}

	static Ergate engine(DataSource dataSource, JdbcOptions options, Duration cancelCheckInterval) {
		String prefix = options.tablePrefix();
		Ergate ergate = Ergate.builder(new JdbcJobQueue(dataSource, options), new JdbcStateStore(dataSource, options))
			.cancelCheckInterval(cancelCheckInterval)
			.build();
		// the first run of each job fails; the retry comes 2 s later
		ergate.registerWorkflow(Workflow.builder("crash_retry")
			.step("flaky", (step) -> {
				int run = record(dataSource, prefix, String.valueOf(step.job().id()), "flaky");
				if (run == 1) {
					throw new IllegalStateException("first run fails");
				}
				return run;
			}, RetryPolicy.maxAttempts(3).backoff(Duration.ofSeconds(2), 1.0, Duration.ofSeconds(2)).jitter(0.0))
			.step("done", (step) -> record(dataSource, prefix, String.valueOf(step.job().id()), "done"))
			.build());
		// waits until its job is cancelled (at most a minute)
		ergate.registerWorkflow(Workflow.builder("crash_cancel")
			.step("wait", (step) -> {
				record(dataSource, prefix, String.valueOf(step.job().id()), "wait");
				long until = System.nanoTime() + Duration.ofMinutes(1).toNanos();
				while (!step.cancelRequested() && System.nanoTime() < until) {
					Thread.sleep(20);
				}
				return 1;
			})
			.step("after", (step) -> record(dataSource, prefix, String.valueOf(step.job().id()), "after"))
			.build());
		return ergate;
	}

	/** Records a run of a step; returns how many runs of it the job has had, this one included. */
	static int record(DataSource dataSource, String prefix, String job, String step) throws SQLException {
		try (Connection connection = dataSource.getConnection()) {
			try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + prefix
					+ "runs (job_id, step, phase, pid) VALUES (?, ?, 'start', ?)")) {
				statement.setString(1, job);
				statement.setString(2, step);
				statement.setLong(3, ProcessHandle.current().pid());
				statement.executeUpdate();
			}
			try (PreparedStatement statement = connection.prepareStatement("SELECT COUNT(*) FROM " + prefix
					+ "runs WHERE job_id = ? AND step = ?")) {
				statement.setString(1, job);
				statement.setString(2, step);
				try (ResultSet rows = statement.executeQuery()) {
					rows.next();
					return rows.getInt(1);
				}
			}
		}
	}

}
