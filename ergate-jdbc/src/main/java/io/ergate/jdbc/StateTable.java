package io.ergate.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

import io.ergate.Job;
import io.ergate.JobStatus;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * The SQL of the state table ({@code ergate_job}) and the binders and readers of its rows, shared by
 * {@link JdbcStateStore} and the queue's {@link HandOvers}: the upsert of each database (never behind
 * a state with more steps completed), the PostgreSQL upsert that joins a larger statement, a row read
 * back as a {@link Job}.
 */
final class StateTable {

	static final String COLUMNS = "job_key, id, workflow_name, step_name, status, steps_completed, "
			+ "percent_completed, initial_input_value, last_return_value, exception_traceback, user_context, "
			+ "requested_start_time, metadata, created_at, updated_at";

	final String name;

	private final Connections connections;

	private final JsonMapper mapper;

	private final Clock clock = Clock.systemUTC();

	/** The PostgreSQL upsert of one job, durable and (for RUNNING marks) without waiting for the flush. */
	private final String postgresUpsert;

	private final String postgresUpsertNoFlushWait;

	private final String mariadbUpsert;

	private final String insert;

	private final String updateIfNotBehind;

	/** Locks a job's row and reads what a fenced write decides on. */
	final String selectForUpdate;

	/** Locks a job's row and reads all of it. */
	final String selectAllForUpdate;

	/** Writes every attribute of a job's existing row, whatever its state; {@code %s}: the JSON parameters. */
	private final String overwrite;

	/** The states of each job, when kept: every write of a state below records it there too. */
	final HistoryTable history;

	StateTable(Connections connections, JdbcOptions options) {
		this.connections = connections;
		this.mapper = options.jsonMapper();
		this.name = options.table("job");
		this.history = new HistoryTable(options);
		if (this.history.enabled()) {
			// the state and its history row in one statement
			this.postgresUpsert = "WITH s AS (" + postgresUpsert(null, true) + ") " + this.history.insertFrom("s");
			this.postgresUpsertNoFlushWait = JdbcDialect.NO_FLUSH_WAIT + ", s AS (" + postgresUpsert("c", true) + ") "
					+ this.history.insertFrom("s");
		}
		else {
			this.postgresUpsert = postgresUpsert(null);
			this.postgresUpsertNoFlushWait = JdbcDialect.NO_FLUSH_WAIT + " " + postgresUpsert("c");
		}
		// MariaDB/MySQL evaluate assignments left to right: the columns the test reads go last, status
		// after steps_completed (which the test only finds unchanged or equal to the new value)
		StringBuilder update = new StringBuilder();
		for (String column : new String[] { "id", "workflow_name", "step_name", "percent_completed",
				"initial_input_value", "last_return_value", "exception_traceback", "user_context",
				"requested_start_time", "metadata", "updated_at", "steps_completed", "status" }) {
			update.append((update.length() > 0) ? ", " : "").append(column)
				.append(" = IF(steps_completed <= VALUES(steps_completed) AND ").append(NOT_CANCELLING)
				.append(", VALUES(").append(column).append("), ").append(column).append(')');
		}
		this.mariadbUpsert = "INSERT INTO " + this.name + " (" + COLUMNS + ") VALUES ("
				+ values(JdbcDialect.MARIADB) + ") ON DUPLICATE KEY UPDATE " + update;
		this.selectForUpdate = "SELECT workflow_name, status, steps_completed, metadata FROM " + this.name
				+ " WHERE job_key = ? FOR UPDATE";
		this.insert = "INSERT INTO " + this.name + " (" + COLUMNS + ") VALUES (" + values(JdbcDialect.H2) + ")";
		this.updateIfNotBehind = "UPDATE " + this.name + " SET id = ?, workflow_name = ?, step_name = ?, "
				+ "status = ?, steps_completed = ?, percent_completed = ?, initial_input_value = ?, "
				+ "last_return_value = ?, exception_traceback = ?, user_context = ?, requested_start_time = ?, "
				+ "metadata = ?, updated_at = ? WHERE job_key = ? AND " + NOT_CANCELLING + " AND steps_completed <= ?";
		this.selectAllForUpdate = "SELECT " + COLUMNS + " FROM " + this.name + " WHERE job_key = ? FOR UPDATE";
		this.overwrite = "UPDATE " + this.name + " SET id = %s, workflow_name = ?, step_name = ?, "
				+ "status = ?, steps_completed = ?, percent_completed = ?, initial_input_value = %s, "
				+ "last_return_value = %s, exception_traceback = ?, user_context = %s, requested_start_time = ?, "
				+ "metadata = %s, updated_at = ? WHERE job_key = ?";
	}

	/**
	 * The engine's writes never land on a job being cancelled: H2 and MariaDB leave such a row alone
	 * (their hand-overs record the cancel after reading the row locked); PostgreSQL's one-statement
	 * hand-over applies the whole rule in its upsert.
	 */
	private static final String NOT_CANCELLING = "status NOT IN ('CANCELLING', 'CANCELLED')";

	/** The 15 placeholders of a row, JSON columns cast as the dialect needs. */
	private static String values(JdbcDialect dialect) {
		String json = dialect.jsonParameter();
		return "?, " + json + ", ?, ?, ?, ?, ?, " + json + ", " + json + ", ?, " + json + ", ?, " + json + ", ?, ?";
	}

	/**
	 * The PostgreSQL upsert of one job: {@code INSERT ... SELECT <15 parameters> [FROM from] ON
	 * CONFLICT ...}, so that it can take part in a larger statement (written only when {@code from}
	 * yields a row). Its parameters bind with {@link #bindPostgresUpsert}.
	 */
	String postgresUpsert(@Nullable String from) {
		return postgresUpsert(from, false);
	}

	/**
	 * The PostgreSQL upsert, applying the cancel rule: nothing lands on a CANCELLED row, a RUNNING mark
	 * does not land on a CANCELLING one, and a non-final state landing on a CANCELLING row is written
	 * CANCELLED (a final one as it is). With {@code returning} the statement yields the status written.
	 */
	String postgresUpsert(@Nullable String from, boolean returning) {
		return "INSERT INTO " + this.name + " AS t (" + COLUMNS + ") SELECT " + values(JdbcDialect.POSTGRESQL)
				+ ((from != null) ? " FROM " + from : "")
				+ " ON CONFLICT (job_key) DO UPDATE SET id = EXCLUDED.id, workflow_name = EXCLUDED.workflow_name, "
				+ "step_name = EXCLUDED.step_name, status = CASE WHEN t.status = 'CANCELLING' AND EXCLUDED.status IN "
				+ "('QUEUED', 'SCHEDULED', 'PENDING') THEN 'CANCELLED' ELSE EXCLUDED.status END, "
				+ "steps_completed = EXCLUDED.steps_completed, percent_completed = EXCLUDED.percent_completed, "
				+ "initial_input_value = EXCLUDED.initial_input_value, last_return_value = EXCLUDED.last_return_value, "
				+ "exception_traceback = EXCLUDED.exception_traceback, user_context = EXCLUDED.user_context, "
				+ "requested_start_time = EXCLUDED.requested_start_time, metadata = EXCLUDED.metadata, "
				+ "updated_at = EXCLUDED.updated_at WHERE t.steps_completed <= EXCLUDED.steps_completed "
				+ "AND t.status <> 'CANCELLED' AND (t.status <> 'CANCELLING' OR EXCLUDED.status <> 'RUNNING')"
				+ (returning ? " RETURNING " + (this.history.enabled() ? HistoryTable.RETURNED : "status") : "");
	}

	/**
	 * Writes a job's row whatever its recorded state (inserting it when there is none): for writes
	 * whose caller has locked the row and decided, such as fenced writes, cancels and requeues.
	 */
	void overwrite(Connection connection, Job job, boolean exists) throws SQLException {
		JdbcDialect dialect = this.connections.dialect(connection);
		if (!exists) {
			upsert(connection, job);
			return;
		}
		String json = dialect.jsonParameter();
		String sql = String.format(this.overwrite, json, json, json, json, json);
		try (PreparedStatement statement = connection.prepareStatement(sql)) {
			int index = bindAttributes(statement, dialect, 1, job);
			Instant now = this.clock.instant();
			dialect.setInstant(statement, index++, now);
			statement.setString(index, key(job));
			if (statement.executeUpdate() > 0 && this.history.enabled()) {
				this.history.record(connection, dialect, key(job), job, now);
			}
		}
	}

	/** Reads a job's row, locked until the transaction ends; null when there is none. */
	@Nullable Job readForUpdate(Connection connection, String key) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.selectAllForUpdate)) {
			statement.setString(1, key);
			try (ResultSet rows = statement.executeQuery()) {
				return rows.next() ? read(rows, this.connections.dialect(connection)) : null;
			}
		}
	}

	/** Reads the metadata column of a row as a map (empty when null). */
	Map<String, String> metadata(@Nullable String json) {
		if (json == null) {
			return Map.of();
		}
		return this.mapper.readValue(json, new tools.jackson.core.type.TypeReference<Map<String, String>>() {
		});
	}

	/** Binds the parameters of {@link #postgresUpsert} from the given index; returns the next index. */
	int bindPostgresUpsert(PreparedStatement statement, int start, Job job) throws SQLException {
		return bind(statement, JdbcDialect.POSTGRESQL, start, key(job), job, this.clock.instant());
	}

	/** The key of a job's row: its id as it is when a string, else its JSON text. */
	String key(Job job) {
		Object id = job.id();
		if (id == null) {
			throw new IllegalArgumentException("Job " + job + " has no id: JdbcStateStore keys jobs by id "
					+ "(Ergate.submit gives every job one; so does JdbcJobQueue for rows put without one)");
		}
		return JobKeys.key(this.mapper, id);
	}

	/**
	 * Records a job's state in one statement where the database allows (the caller's transaction when
	 * there is one); on PostgreSQL a RUNNING mark outside one commits without waiting for the flush.
	 */
	void write(Job job) {
		try {
			Connection connection = this.connections.shared();
			try {
				JdbcDialect dialect = this.connections.dialect(connection);
				if (dialect == JdbcDialect.POSTGRESQL) {
					// one statement, one round trip; RUNNING marks commit without waiting for the flush
					boolean relaxed = job.status() == JobStatus.RUNNING
							&& !this.connections.isExternallyManaged(connection);
					String sql = relaxed ? this.postgresUpsertNoFlushWait : this.postgresUpsert;
					try (PreparedStatement statement = connection.prepareStatement(sql)) {
						bindPostgresUpsert(statement, 1, job);
						statement.executeUpdate();
					}
				}
				else if (this.history.enabled() && !this.connections.isExternallyManaged(connection)) {
					// the state and its history row in one transaction
					Connections.inOwnTransaction(connection, (tx) -> {
						upsert(tx, job);
						return null;
					});
				}
				else {
					upsert(connection, job);
				}
			}
			finally {
				this.connections.release(connection);
			}
			this.history.pruneNowAndThen(this.connections);
		}
		catch (SQLException ex) {
			throw new ErgateJdbcException("Recording the state of job " + job.id() + " in " + this.name + " failed",
					ex);
		}
	}

	/** Writes a job's state on the given connection, in whatever transaction it is in. */
	void upsert(Connection connection, Job job) throws SQLException {
		JdbcDialect dialect = this.connections.dialect(connection);
		String key = key(job);
		Instant now = this.clock.instant();
		if (dialect == JdbcDialect.H2) {
			if (upsertByUpdateThenInsert(connection, dialect, key, job, now) && this.history.enabled()) {
				this.history.record(connection, dialect, key, job, now);
			}
			return;
		}
		String sql = (dialect == JdbcDialect.POSTGRESQL) ? this.postgresUpsert : this.mariadbUpsert;
		try (PreparedStatement statement = connection.prepareStatement(sql)) {
			bind(statement, dialect, 1, key, job, now);
			// PostgreSQL's upsert records the history row itself
			if (statement.executeUpdate() > 0 && dialect != JdbcDialect.POSTGRESQL && this.history.enabled()) {
				this.history.record(connection, dialect, key, job, now);
			}
		}
	}

	/** Returns whether the state was written (not held back by a later one). */
	private boolean upsertByUpdateThenInsert(Connection connection, JdbcDialect dialect, String key, Job job,
			Instant now) throws SQLException {
		if (updateIfNotBehind(connection, dialect, key, job, now)) {
			return true;
		}
		try (PreparedStatement statement = connection.prepareStatement(this.insert)) {
			bind(statement, dialect, 1, key, job, now);
			statement.executeUpdate();
			return true;
		}
		catch (SQLException ex) {
			if (!"23505".equals(ex.getSQLState())) {
				throw ex;
			}
			// inserted by another transaction meanwhile, or held back by a later state
			return updateIfNotBehind(connection, dialect, key, job, now);
		}
	}

	private boolean updateIfNotBehind(Connection connection, JdbcDialect dialect, String key, Job job, Instant now)
			throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.updateIfNotBehind)) {
			int index = bindAttributes(statement, dialect, 1, job);
			dialect.setInstant(statement, index++, now);
			statement.setString(index++, key);
			statement.setInt(index, job.stepsCompleted());
			return statement.executeUpdate() > 0;
		}
	}

	/** Binds a whole row (key, attributes, created_at, updated_at) from the given index; returns the next. */
	private int bind(PreparedStatement statement, JdbcDialect dialect, int start, String key, Job job, Instant now)
			throws SQLException {
		statement.setString(start, key);
		int index = bindAttributes(statement, dialect, start + 1, job);
		dialect.setInstant(statement, index++, now);
		dialect.setInstant(statement, index++, now);
		return index;
	}

	/** Binds id to metadata (12 parameters) from the given index; returns the next index. */
	private int bindAttributes(PreparedStatement statement, JdbcDialect dialect, int start, Job job)
			throws SQLException {
		int index = start;
		statement.setString(index++, this.mapper.writeValueAsString(job.id()));
		statement.setString(index++, job.workflowName());
		setNullableString(statement, index++, job.stepName());
		statement.setString(index++, job.status().name());
		statement.setInt(index++, job.stepsCompleted());
		statement.setDouble(index++, job.percentCompleted());
		setJson(statement, index++, job.initialInputValue());
		setJson(statement, index++, job.lastReturnValue());
		setNullableString(statement, index++, job.exceptionTraceback());
		setJson(statement, index++, job.userContext());
		dialect.setInstant(statement, index++, job.requestedStartTime());
		setJson(statement, index++, job.metadata().isEmpty() ? null : job.metadata());
		return index;
	}

	private void setJson(PreparedStatement statement, int index, @Nullable Object value) throws SQLException {
		setNullableString(statement, index, (value != null) ? this.mapper.writeValueAsString(value) : null);
	}

	private static void setNullableString(PreparedStatement statement, int index, @Nullable String value)
			throws SQLException {
		if (value == null) {
			statement.setNull(index, Types.VARCHAR);
		}
		else {
			statement.setString(index, value);
		}
	}

	/** Reads the current row of a {@code SELECT} of {@link #COLUMNS} as a job. */
	Job read(ResultSet rows, JdbcDialect dialect) throws SQLException {
		StringBuilder json = new StringBuilder(256).append('{');
		raw(json, "id", rows.getString("id"));
		text(json, "workflow_name", rows.getString("workflow_name"));
		text(json, "step_name", rows.getString("step_name"));
		text(json, "status", rows.getString("status"));
		raw(json, "steps_completed", Integer.toString(rows.getInt("steps_completed")));
		raw(json, "percent_completed", Double.toString(rows.getDouble("percent_completed")));
		raw(json, "initial_input_value", rows.getString("initial_input_value"));
		raw(json, "last_return_value", rows.getString("last_return_value"));
		text(json, "exception_traceback", rows.getString("exception_traceback"));
		raw(json, "user_context", rows.getString("user_context"));
		Instant start = dialect.getInstant(rows, "requested_start_time");
		text(json, "requested_start_time", (start != null) ? start.toString() : null);
		String metadata = rows.getString("metadata");
		if (metadata != null) {
			raw(json, "metadata", metadata);
		}
		json.setCharAt(json.length() - 1, '}');
		return this.mapper.readValue(json.toString(), Job.class);
	}

	private static void raw(StringBuilder json, String name, @Nullable String value) {
		json.append('"').append(name).append("\":").append((value != null) ? value : "null").append(',');
	}

	private void text(StringBuilder json, String name, @Nullable String value) {
		json.append('"').append(name).append("\":")
			.append((value != null) ? this.mapper.writeValueAsString(value) : "null")
			.append(',');
	}

}
