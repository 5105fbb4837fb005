package io.ergate.rabbitmq;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

import javax.sql.DataSource;

import com.rabbitmq.client.ConnectionFactory;
import io.ergate.Ergate;
import io.ergate.RetryPolicy;
import io.ergate.Workflow;
import io.ergate.jdbc.JdbcOptions;
import io.ergate.jdbc.JdbcStateStore;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The worker process of {@link FailureCrashTests}: a RabbitMQ queue and the JDBC store on
 * PostgreSQL, running the "crash_retry" and "crash_cancel" workflows until it is killed. Steps record
 * each run in a table of their own.
 * <p>
 * Arguments: queue, RabbitMQ host, port, user, password, JDBC URL, user, password, table prefix,
 * cancel check interval in milliseconds.
 */
public final class FailureCrashWorker {

	private FailureCrashWorker() {
	}

	public static void main(String[] args) throws Exception {
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost(args[1]);
		factory.setPort(Integer.parseInt(args[2]));
		factory.setUsername(args[3]);
		factory.setPassword(args[4]);
		Ergate ergate = engine(factory, args[0], dataSource(args[5], args[6], args[7]), args[8],
				Duration.ofMillis(Long.parseLong(args[9])));
		ergate.start(4);
		System.out.println("worker process " + ProcessHandle.current().pid() + " started");
		Thread.sleep(Duration.ofMinutes(5).toMillis()); // until killed
		ergate.stop(Duration.ofSeconds(5));
	}

	static DataSource dataSource(String url, String user, String password) {
		PGSimpleDataSource dataSource = new PGSimpleDataSource();
		dataSource.setUrl(url);
		dataSource.setUser(user);
		dataSource.setPassword(password);
		return dataSource;
	}

	static Ergate engine(ConnectionFactory factory, String queueName, DataSource dataSource, String prefix,
			Duration cancelCheckInterval) {
		RabbitJobQueue queue = RabbitJobQueue.builder(factory).queue(queueName).concurrency(4).build();
		Ergate ergate = Ergate.builder(queue, new JdbcStateStore(dataSource, JdbcOptions.builder().tablePrefix(prefix)
			.build()))
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
