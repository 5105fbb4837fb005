package io.ergate.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.ergate.Job;
import io.ergate.JobStatus;
import io.ergate.jdbc.JdbcJobQueue;
import io.ergate.jdbc.JdbcOptions;
import io.ergate.jdbc.JdbcSchema;
import io.ergate.jdbc.JdbcStateStore;

/**
 * The {@code jdbc} scenario: the engine on {@code ergate-jdbc}'s queue and store on the local
 * PostgreSQL, against a pgbench-like loop: one single-row UPDATE per transaction on as many
 * connections, same database, same run.
 */
final class JdbcScenario {

	private JdbcScenario() {
	}

	static HikariDataSource pool(int size) {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(System.getProperty("ergate.bench.jdbc.url", "jdbc:postgresql://127.0.0.1:5432/test"));
		config.setUsername(System.getProperty("ergate.bench.jdbc.user", "postgres"));
		config.setPassword(System.getProperty("ergate.bench.jdbc.password", ""));
		config.setMaximumPoolSize(size);
		config.setMinimumIdle(size);
		config.setPoolName("ergate-bench");
		return new HikariDataSource(config);
	}

	static double engine(int jobs, int steps, int concurrency) throws Exception {
		String prefix = "bench_" + UUID.randomUUID().toString().substring(0, 8) + "_";
		try (HikariDataSource dataSource = pool(concurrency + 3)) {
			JdbcOptions options = JdbcOptions.builder().tablePrefix(prefix).build();
			JdbcSchema.initialize(dataSource, options);
			try (JdbcJobQueue queue = new JdbcJobQueue(dataSource, options)) {
				List<Job> batch = new ArrayList<>(jobs);
				for (int i = 0; i < jobs; i++) {
					batch.add(Job.builder(Workloads.WORKFLOW).id(i).initialInputValue(i).build());
				}
				queue.putAll(batch);
				JdbcStateStore store = new JdbcStateStore(dataSource, options);
				// the clock stops once every final state is committed (a read commits waiting hand-overs)
				return Workloads.drain(queue, store, jobs, steps, concurrency, () -> {
					long completed = store.countByStatus().getOrDefault(JobStatus.COMPLETED, 0L);
					if (completed != jobs) {
						throw new IllegalStateException(completed + " of " + jobs + " jobs COMPLETED in the store");
					}
				});
			}
			finally {
				drop(dataSource, prefix + "queue", prefix + "job", prefix + "dead_letter");
			}
		}
	}

	/** One single-row UPDATE per transaction on {@code concurrency} connections, for a while. */
	static double baseline(Duration duration, int concurrency) throws Exception {
		String table = "bench_accounts_" + UUID.randomUUID().toString().substring(0, 8);
		int rows = 100_000;
		try (HikariDataSource dataSource = pool(concurrency)) {
			try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
				statement.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, balance BIGINT NOT NULL)");
				statement.execute("INSERT INTO " + table + " SELECT g, 0 FROM generate_series(1, " + rows + ") g");
			}
			try {
				LongAdder transactions = new LongAdder();
				long deadline = System.nanoTime() + duration.toNanos();
				List<Thread> threads = Throughput.threads(concurrency, () -> {
					try (Connection connection = dataSource.getConnection();
							PreparedStatement update = connection
								.prepareStatement("UPDATE " + table + " SET balance = balance + ? WHERE id = ?")) {
						connection.setAutoCommit(false);
						ThreadLocalRandom random = ThreadLocalRandom.current();
						while (System.nanoTime() < deadline) {
							update.setLong(1, random.nextInt(-5000, 5000));
							update.setInt(2, random.nextInt(1, rows + 1));
							update.executeUpdate();
							connection.commit();
							transactions.increment();
						}
					}
					catch (SQLException ex) {
						throw new IllegalStateException(ex);
					}
				}, "jdbc-baseline");
				long start = System.nanoTime();
				threads.forEach(Thread::start);
				for (Thread thread : threads) {
					thread.join();
				}
				return transactions.sum() / ((System.nanoTime() - start) / 1e9);
			}
			finally {
				drop(dataSource, table);
			}
		}
	}

	private static void drop(HikariDataSource dataSource, String... tables) {
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			for (String table : tables) {
				statement.execute("DROP TABLE IF EXISTS " + table);
			}
		}
		catch (SQLException ex) {
			System.err.println("# could not drop " + String.join(", ", tables) + ": " + ex.getMessage());
		}
	}

}
