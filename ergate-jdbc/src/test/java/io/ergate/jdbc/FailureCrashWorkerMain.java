package io.ergate.jdbc;

import java.time.Duration;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.ergate.Ergate;
import io.ergate.contract.FailureCrashWorkflows;

/**
 * The worker process of {@link PostgresFailureCrashTests}: runs the contract kit's
 * {@link FailureCrashWorkflows} on the JDBC queue and store until it is killed.
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
		Ergate ergate = Ergate.builder(new JdbcJobQueue(dataSource, options), new JdbcStateStore(dataSource, options))
			.cancelCheckInterval(cancelCheckInterval)
			.build();
		return FailureCrashWorkflows.register(ergate, dataSource, options.tablePrefix());
	}

}
