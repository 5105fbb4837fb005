package io.ergate.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.ergate.Job;
import io.ergate.JobStatus;
import io.ergate.JobTransition;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The states each job went through, in the {@code job_history} table, when {@link JdbcOptions#historyEnabled()}:
 * a row per state written, on the connection (and so in the transaction) of the state's write, or in its very
 * statement on PostgreSQL; read back oldest first; rows older than the retention deleted now and then.
 */
final class HistoryTable {

	private static final Logger logger = LoggerFactory.getLogger(HistoryTable.class);

	private static final String COLUMNS = "job_key, status, step_name, steps_completed, percent_completed, recorded_at";

	/** What a PostgreSQL upsert returns for {@link #insertFrom(String)}, in the upsert's own column names. */
	static final String RETURNED = "status, job_key, step_name, steps_completed, percent_completed, updated_at";

	final String name;

	private final boolean enabled;

	private final @Nullable Duration retention;

	private final Clock clock = Clock.systemUTC();

	private final String insert;

	private final String select;

	private final String deleteJob;

	private final String deleteOlder;

	/** When old rows were last deleted, in epoch milliseconds. */
	private final AtomicLong lastPrune = new AtomicLong(System.currentTimeMillis());

	HistoryTable(JdbcOptions options) {
		this.name = options.table("job_history");
		this.enabled = options.historyEnabled();
		this.retention = options.historyRetention();
		this.insert = "INSERT INTO " + this.name + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)";
		this.select = "SELECT status, step_name, steps_completed, percent_completed, recorded_at FROM " + this.name
				+ " WHERE job_key = ? ORDER BY id";
		this.deleteJob = "DELETE FROM " + this.name + " WHERE job_key = ?";
		this.deleteOlder = "DELETE FROM " + this.name + " WHERE recorded_at < ?";
	}

	boolean enabled() {
		return this.enabled;
	}

	/**
	 * The statement tail that records the rows a PostgreSQL upsert returned ({@link #RETURNED}) from a
	 * {@code WITH} element: {@code INSERT INTO job_history ... SELECT ... FROM <cte>}.
	 */
	String insertFrom(String cte) {
		return "INSERT INTO " + this.name + " (" + COLUMNS + ") SELECT job_key, status, step_name, steps_completed, "
				+ "percent_completed, updated_at FROM " + cte;
	}

	/** Records a state just written on this connection, in its transaction. */
	void record(Connection connection, JdbcDialect dialect, String key, Job job, Instant time) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.insert)) {
			statement.setString(1, key);
			statement.setString(2, job.status().name());
			if (job.stepName() != null) {
				statement.setString(3, job.stepName());
			}
			else {
				statement.setNull(3, Types.VARCHAR);
			}
			statement.setInt(4, job.stepsCompleted());
			statement.setDouble(5, job.percentCompleted());
			dialect.setInstant(statement, 6, time);
			statement.executeUpdate();
		}
	}

	List<JobTransition> read(Connection connection, JdbcDialect dialect, String key) throws SQLException {
		List<JobTransition> transitions = new ArrayList<>();
		try (PreparedStatement statement = connection.prepareStatement(this.select)) {
			statement.setString(1, key);
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					JobStatus status = JobStatus.parse(rows.getString(1));
					Instant time = dialect.getInstant(rows, "recorded_at");
					if (status != null && time != null) {
						transitions.add(new JobTransition(status, rows.getString(2), rows.getInt(3), rows.getDouble(4),
								time));
					}
				}
			}
		}
		return transitions;
	}

	void deleteJob(Connection connection, String key) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.deleteJob)) {
			statement.setString(1, key);
			statement.executeUpdate();
		}
	}

	/**
	 * Deletes the rows older than the retention, at most once every tenth of the retention (between once
	 * a second and once an hour): called after writes, it costs them nothing in between.
	 */
	void pruneNowAndThen(Connections connections) {
		Duration retention = this.retention;
		if (retention == null) {
			return;
		}
		long every = Math.max(1_000, Math.min(3_600_000, retention.toMillis() / 10));
		long last = this.lastPrune.get();
		long now = this.clock.millis();
		if (now - last < every || !this.lastPrune.compareAndSet(last, now)) {
			return;
		}
		try (Connection connection = connections.own()) {
			try (PreparedStatement statement = connection.prepareStatement(this.deleteOlder)) {
				connections.dialect(connection).setInstant(statement, 1, Instant.ofEpochMilli(now).minus(retention));
				int deleted = statement.executeUpdate();
				if (deleted > 0) {
					logger.debug("Deleted {} job states older than {} from {}", deleted, retention, this.name);
				}
			}
		}
		catch (SQLException ex) {
			logger.warn("Deleting the job states older than {} from {} failed (tried again later): {}", retention,
					this.name, ex.getMessage());
		}
	}

}
