package io.ergate.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.ergate.Ergate;
import io.ergate.Workflow;

/**
 * The worker process of {@link PostgresCrashTests}: runs the three-step "crash3" workflow with a few
 * workers until it is killed. Every step writes a "start" row before its work and an "end" row
 * after it, in tables outside the queue's transactions, so the test can count steps that ran more
 * than once and steps cut off in the middle.
 * <p>
 * Arguments: JDBC URL, user, password, table prefix, workers, step milliseconds.
 */
public final class CrashWorkerMain {

	private CrashWorkerMain() {
	}

	public static void main(String[] args) throws Exception {
		String prefix = args[3];
		int workers = Integer.parseInt(args[4]);
		long stepMillis = Long.parseLong(args[5]);
		HikariDataSource dataSource = TestDatabases.pool(args[0], args[1], args[2], workers + 3);
		JdbcOptions options = PostgresCrashTests.options(prefix);
		Ergate ergate = new Ergate(new JdbcJobQueue(dataSource, options), new JdbcStateStore(dataSource, options));
		ergate.registerWorkflow(workflow(dataSource, prefix, stepMillis));
		ergate.start(workers);
		System.out.println("worker process " + ProcessHandle.current().pid() + " started");
		Thread.sleep(Duration.ofMinutes(5).toMillis()); // until killed
		ergate.stop(Duration.ofSeconds(5));
	}

	static Workflow workflow(DataSource dataSource, String prefix, long stepMillis) {
		Workflow.Builder builder = Workflow.builder("crash3");
		for (int s = 1; s <= 3; s++) {
			String step = "s" + s;
			builder.step(step, (context) -> {
				String job = String.valueOf(context.job().id());
				record(dataSource, prefix, job, step, "start");
				Thread.sleep(stepMillis);
				record(dataSource, prefix, job, step, "end");
				return step;
			});
		}
		return builder.build();
	}

	static void record(DataSource dataSource, String prefix, String job, String step, String phase)
			throws SQLException {
		try (Connection connection = dataSource.getConnection();
				PreparedStatement statement = connection.prepareStatement("INSERT INTO " + prefix
						+ "runs (job_id, step, phase, pid) VALUES (?, ?, ?, ?)")) {
			statement.setString(1, job);
			statement.setString(2, step);
			statement.setString(3, phase);
			statement.setLong(4, ProcessHandle.current().pid());
			statement.executeUpdate();
		}
	}

}
