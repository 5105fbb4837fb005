package io.ergate.contract;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

import javax.sql.DataSource;

import io.ergate.Ergate;
import io.ergate.RetryPolicy;
import io.ergate.Workflow;

/**
 * The workflows of the backends' failure crash tests, in which a worker process is killed during a
 * retry delay or during cancelling steps: "crash_retry" (the first run of each job fails, the retry
 * comes 2 s later) and "crash_cancel" (a step that waits for its cancel, then one that must not run).
 * Each step run is recorded in the table {@code <prefix>runs (job_id, step, pid)}, outside the
 * queue's transactions, so the test can count runs across processes.
 */
public final class FailureCrashWorkflows {

	private FailureCrashWorkflows() {
	}

	/**
	 * Registers both workflows.
	 * @param ergate the engine
	 * @param dataSource where the runs table is
	 * @param prefix the runs table's prefix
	 * @return the engine
	 */
	public static Ergate register(Ergate ergate, DataSource dataSource, String prefix) {
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

	/**
	 * The statement that creates the runs table.
	 * @param prefix the table prefix
	 * @return the SQL
	 */
	public static String createRunsTable(String prefix) {
		return "CREATE TABLE " + prefix + "runs (job_id VARCHAR(64) NOT NULL, step VARCHAR(8) NOT NULL, "
				+ "pid BIGINT NOT NULL)";
	}

	/** Records a run of a step; returns how many runs of it the job has had, this one included. */
	static int record(DataSource dataSource, String prefix, String job, String step) throws SQLException {
		try (Connection connection = dataSource.getConnection()) {
			try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + prefix
					+ "runs (job_id, step, pid) VALUES (?, ?, ?)")) {
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
