package io.ergate.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import javax.sql.DataSource;

import io.ergate.FencingStateStore;
import io.ergate.Job;
import io.ergate.JobStatus;
import io.ergate.QueryableStateStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * A {@link QueryableStateStore} in a table ({@code ergate_job} by default): one row per job id,
 * every {@link Job} attribute in a column of its own, payloads as JSON ({@code jsonb} on
 * PostgreSQL).
 * <p>
 * A job is keyed by its id: a string id as it is, any other id as its JSON text. A recorded state is
 * never replaced by one with fewer {@linkplain Job#stepsCompleted() steps completed}, so a worker
 * that lost its lease cannot turn a job back to an earlier step. Writes join the caller's Spring
 * transaction when spring-jdbc is on the class path and one is active.
 * <p>
 * Used with a {@link JdbcJobQueue} on the same {@link DataSource}, the state written after a step
 * commits in the same transaction as the queue's hand-over (see {@link JdbcJobQueue}).
 */
public final class JdbcStateStore implements QueryableStateStore, FencingStateStore {

	private static final Logger logger = LoggerFactory.getLogger(JdbcStateStore.class);

	static final String COLUMNS = "job_key, id, workflow_name, step_name, status, steps_completed, "
			+ "percent_completed, initial_input_value, last_return_value, exception_traceback, user_context, "
			+ "requested_start_time, metadata, created_at, updated_at";

	private final List<Runnable> beforeRead = new CopyOnWriteArrayList<>();

	private final Connections connections;

	private final JdbcOptions options;

	private final JsonMapper mapper;

	private final String table;

	private final Clock clock;

	/** The PostgreSQL upsert of one job, durable and (for RUNNING marks) without waiting for the flush. */
	private final String postgresUpsert;

	private final String postgresUpsertNoFlushWait;

	private final String mariadbUpsert;

	private final String insert;

	private final String updateIfNotBehind;

	private final String selectForUpdate;

	private final ConcurrentHashMap<String, PendingRunning> pendingRunning = new ConcurrentHashMap<>();

	private volatile @Nullable ScheduledExecutorService runningWriter;

	/**
	 * Creates a store on the default table {@code ergate_job}.
	 * @param dataSource the database
	 */
	public JdbcStateStore(DataSource dataSource) {
		this(dataSource, JdbcOptions.defaults());
	}

	/**
	 * Creates a store.
	 * @param dataSource the database
	 * @param options the table prefix, dialect and JSON mapper to use
	 */
	public JdbcStateStore(DataSource dataSource, JdbcOptions options) {
		this.options = Objects.requireNonNull(options, "options");
		this.connections = new Connections(Objects.requireNonNull(dataSource, "dataSource"), options.dialect());
		this.mapper = options.jsonMapper();
		this.table = options.table("job");
		this.clock = Clock.systemUTC();
		this.postgresUpsert = postgresUpsert(null);
		this.postgresUpsertNoFlushWait = JdbcDialect.NO_FLUSH_WAIT + " " + postgresUpsert("c");
		// MariaDB/MySQL evaluate assignments left to right: steps_completed goes last
		StringBuilder update = new StringBuilder();
		for (String column : new String[] { "id", "workflow_name", "step_name", "status", "percent_completed",
				"initial_input_value", "last_return_value", "exception_traceback", "user_context",
				"requested_start_time", "metadata", "updated_at", "steps_completed" }) {
			update.append((update.length() > 0) ? ", " : "").append(column)
				.append(" = IF(steps_completed <= VALUES(steps_completed), VALUES(").append(column)
				.append("), ").append(column).append(')');
		}
		this.mariadbUpsert = "INSERT INTO " + this.table + " (" + COLUMNS + ") VALUES ("
				+ values(JdbcDialect.MARIADB) + ") ON DUPLICATE KEY UPDATE " + update;
		this.selectForUpdate = "SELECT workflow_name, status, steps_completed FROM " + this.table
				+ " WHERE job_key = ? FOR UPDATE";
		this.insert = "INSERT INTO " + this.table + " (" + COLUMNS + ") VALUES (" + values(JdbcDialect.H2) + ")";
		this.updateIfNotBehind = "UPDATE " + this.table + " SET id = ?, workflow_name = ?, step_name = ?, "
				+ "status = ?, steps_completed = ?, percent_completed = ?, initial_input_value = ?, "
				+ "last_return_value = ?, exception_traceback = ?, user_context = ?, requested_start_time = ?, "
				+ "metadata = ?, updated_at = ? WHERE job_key = ? AND steps_completed <= ?";
	}

	/** The 15 placeholders of a row, JSON columns cast as the dialect needs. */
	private static String values(JdbcDialect dialect) {
		String json = dialect.jsonParameter();
		return "?, " + json + ", ?, ?, ?, ?, ?, " + json + ", " + json + ", ?, " + json + ", ?, " + json + ", ?, ?";
	}

	/**
	 * Returns the database of this store.
	 * @return the data source
	 */
	public DataSource dataSource() {
		return this.connections.dataSource();
	}

	/**
	 * Returns the settings of this store.
	 * @return the settings
	 */
	public JdbcOptions options() {
		return this.options;
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * On PostgreSQL, outside a caller's transaction, a {@link JobStatus#RUNNING} mark commits without
	 * waiting for the WAL flush: a database crash may lose it (the job then shows its previous state
	 * and its step runs again, as it would anyway), and steps are not bounded by one disk flush for
	 * it. Every other state is written durably.
	 * <p>
	 * There, outside a Spring transaction, a RUNNING mark is also written only once its step has run
	 * for {@link JdbcOptions#runningStateDelay()} (default 20 ms): a step that ends sooner goes straight to its next state in
	 * its hand-over, and its RUNNING mark is never written (one write less per step). Any later write
	 * of the job's state through this store drops the mark when not written yet, or waits for it, so a
	 * mark never lands after a newer state; reads through this store write pending marks first.
	 */
	@Override
	public void update(Job job) {
		String key = key(job);
		settle(key);
		if (job.status() == JobStatus.RUNNING && deferRunning()) {
			PendingRunning pending = new PendingRunning(key, job);
			this.pendingRunning.put(key, pending);
			runningWriter().schedule(pending, this.options.runningStateDelay().toNanos(), TimeUnit.NANOSECONDS);
			return;
		}
		write(job);
	}

	private void write(Job job) {
		try {
			Connection connection = this.connections.shared();
			try {
				JdbcDialect dialect = dialect(connection);
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
				else {
					upsert(connection, job);
				}
			}
			finally {
				this.connections.release(connection);
			}
		}
		catch (SQLException ex) {
			throw new ErgateJdbcException("Recording the state of job " + job.id() + " in " + this.table + " failed",
					ex);
		}
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Written at once (never deferred like {@link #update(Job) update}'s RUNNING marks), in a
	 * transaction that locks the job's row.
	 */
	@Override
	public boolean claim(Job running, boolean redelivered) {
		return fenced(running, (recorded) -> FencingStateStore.allowsClaim(recorded, running, redelivered));
	}

	@Override
	public boolean handOver(Job newState, int fromStepsCompleted) {
		return fenced(newState, (recorded) -> FencingStateStore.allowsHandOver(recorded, fromStepsCompleted));
	}

	private boolean fenced(Job job, Predicate<Job> allows) {
		String key = key(job);
		settle(key);
		try (Connection connection = this.connections.own()) {
			return Connections.inOwnTransaction(connection, (tx) -> {
				Job recorded = null;
				try (PreparedStatement statement = tx.prepareStatement(this.selectForUpdate)) {
					statement.setString(1, key);
					try (ResultSet rows = statement.executeQuery()) {
						if (rows.next()) {
							recorded = Job.builder(rows.getString(1))
								.status(JobStatus.valueOf(rows.getString(2)))
								.stepsCompleted(rows.getInt(3))
								.build();
						}
					}
				}
				if (recorded != null && !allows.test(recorded)) {
					return false;
				}
				upsert(tx, job);
				return true;
			});
		}
		catch (SQLException ex) {
			throw new ErgateJdbcException("Recording the state of job " + job.id() + " in " + this.table + " failed",
					ex);
		}
	}

	@Override
	public Optional<Job> findById(Object id) {
		flushRunning();
		String key = JobKeys.key(this.mapper, id);
		String sql = "SELECT " + COLUMNS + " FROM " + this.table + " WHERE job_key = ?";
		List<Job> jobs = query(sql, (statement) -> statement.setString(1, key));
		return jobs.isEmpty() ? Optional.empty() : Optional.of(jobs.get(0));
	}

	@Override
	public List<Job> findJobs(@Nullable String workflowName, @Nullable JobStatus status, int offset, int limit) {
		if (offset < 0 || limit < 0) {
			throw new IllegalArgumentException("offset and limit must be 0 or more, were " + offset + " and " + limit);
		}
		if (limit == 0) {
			return List.of();
		}
		flushRunning();
		StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS).append(" FROM ").append(this.table);
		if (workflowName != null || status != null) {
			sql.append(" WHERE ");
			if (workflowName != null) {
				sql.append("workflow_name = ?");
			}
			if (status != null) {
				sql.append((workflowName != null) ? " AND " : "").append("status = ?");
			}
		}
		sql.append(" ORDER BY created_at DESC, job_key DESC LIMIT ? OFFSET ?");
		return query(sql.toString(), (statement) -> {
			int index = 1;
			if (workflowName != null) {
				statement.setString(index++, workflowName);
			}
			if (status != null) {
				statement.setString(index++, status.name());
			}
			statement.setInt(index++, limit);
			statement.setInt(index, offset);
		});
	}

	@Override
	public Map<JobStatus, Long> countByStatus() {
		flushRunning();
		String sql = "SELECT status, COUNT(*) FROM " + this.table + " GROUP BY status";
		try {
			Connection connection = this.connections.shared();
			try (PreparedStatement statement = connection.prepareStatement(sql);
					ResultSet rows = statement.executeQuery()) {
				Map<JobStatus, Long> counts = new EnumMap<>(JobStatus.class);
				while (rows.next()) {
					JobStatus status = JobStatus.parse(rows.getString(1));
					if (status != null) {
						counts.merge(status, rows.getLong(2), Long::sum);
					}
				}
				return counts;
			}
			finally {
				this.connections.release(connection);
			}
		}
		catch (SQLException ex) {
			throw new ErgateJdbcException("Counting jobs by status in " + this.table + " failed", ex);
		}
	}

	@Override
	public String toString() {
		return "JdbcStateStore{table=" + this.table + "}";
	}

	/**
	 * Whether a RUNNING mark may wait {@link JdbcOptions#runningStateDelay()} before it is written: on PostgreSQL
	 * (where it is written without waiting for the flush anyway), outside any Spring transaction.
	 */
	private boolean deferRunning() {
		return this.connections.dialect() == JdbcDialect.POSTGRESQL && !this.options.runningStateDelay().isZero()
				&& !this.connections.isTransactionActive();
	}

	private ScheduledExecutorService runningWriter() {
		ScheduledExecutorService writer = this.runningWriter;
		if (writer == null) {
			synchronized (this.pendingRunning) {
				writer = this.runningWriter;
				if (writer == null) {
					ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (task) -> {
						Thread thread = new Thread(task, "ergate-jdbc-running-" + this.table);
						thread.setDaemon(true);
						return thread;
					});
					executor.setRemoveOnCancelPolicy(true);
					writer = executor;
					this.runningWriter = writer;
				}
			}
		}
		return writer;
	}

	/**
	 * Before any other write of a job's state: drops its RUNNING mark when not written yet (the new
	 * state replaces it), or waits until it is written, so that it can never land after the new state.
	 */
	void settle(Job job) {
		if (!this.pendingRunning.isEmpty()) {
			settle(key(job));
		}
	}

	private void settle(String key) {
		PendingRunning pending = this.pendingRunning.remove(key);
		if (pending != null) {
			pending.cancelOrAwait();
		}
	}

	/**
	 * Registers work to run before every read: a {@link JdbcJobQueue} commits the hand-overs that wait
	 * to be grouped, so that a read sees every state handed over before it.
	 */
	void beforeRead(Runnable work) {
		this.beforeRead.add(work);
	}

	void removeBeforeRead(Runnable work) {
		this.beforeRead.remove(work);
	}

	/**
	 * Before a read: commits waiting hand-overs and writes the RUNNING marks not written yet, so that a
	 * read sees every update made before it.
	 */
	private void flushRunning() {
		for (Runnable work : this.beforeRead) {
			work.run();
		}
		for (PendingRunning pending : this.pendingRunning.values()) {
			if (this.pendingRunning.remove(pending.key, pending)) {
				pending.writeNowOrAwait();
			}
		}
	}

	/** A RUNNING mark waiting to be written; its flags are guarded by itself. */
	private final class PendingRunning implements Runnable {

		final String key;

		final Job job;

		private boolean started;

		private boolean cancelled;

		private boolean done;

		PendingRunning(String key, Job job) {
			this.key = key;
			this.job = job;
		}

		@Override
		public void run() {
			if (!begin()) {
				return;
			}
			try {
				write(this.job);
			}
			catch (RuntimeException ex) {
				// best effort, like the mark itself: the job shows its previous state until its next one
				logger.warn("Recording the RUNNING state of job {} failed", this.job.id(), ex);
			}
			finally {
				finish();
				JdbcStateStore.this.pendingRunning.remove(this.key, this);
			}
		}

		void writeNowOrAwait() {
			if (begin()) {
				try {
					write(this.job);
				}
				finally {
					finish();
				}
			}
			else {
				cancelOrAwait();
			}
		}

		private synchronized boolean begin() {
			if (this.started || this.cancelled) {
				return false;
			}
			this.started = true;
			return true;
		}

		private synchronized void finish() {
			this.done = true;
			notifyAll();
		}

		synchronized void cancelOrAwait() {
			if (!this.started) {
				this.cancelled = true;
				return;
			}
			boolean interrupted = false;
			while (!this.done) {
				try {
					wait();
				}
				catch (InterruptedException ex) {
					interrupted = true;
				}
			}
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}

	}

	/** Whether a queue on this data source can write this store in its own transactions. */
	boolean sharesDataSourceWith(DataSource dataSource) {
		return this.connections.dataSource() == dataSource;
	}

	/**
	 * The PostgreSQL upsert of one job: {@code INSERT ... SELECT <17 parameters> [FROM from] ON
	 * CONFLICT ...}, so that it can take part in a larger statement (written only when {@code from}
	 * yields a row).
	 */
	String postgresUpsert(@Nullable String from) {
		return "INSERT INTO " + this.table + " AS t (" + COLUMNS + ") SELECT " + values(JdbcDialect.POSTGRESQL)
				+ ((from != null) ? " FROM " + from : "")
				+ " ON CONFLICT (job_key) DO UPDATE SET id = EXCLUDED.id, workflow_name = EXCLUDED.workflow_name, "
				+ "step_name = EXCLUDED.step_name, status = EXCLUDED.status, "
				+ "steps_completed = EXCLUDED.steps_completed, percent_completed = EXCLUDED.percent_completed, "
				+ "initial_input_value = EXCLUDED.initial_input_value, last_return_value = EXCLUDED.last_return_value, "
				+ "exception_traceback = EXCLUDED.exception_traceback, user_context = EXCLUDED.user_context, "
				+ "requested_start_time = EXCLUDED.requested_start_time, metadata = EXCLUDED.metadata, "
				+ "updated_at = EXCLUDED.updated_at WHERE t.steps_completed <= EXCLUDED.steps_completed";
	}

	/** Binds the parameters of {@link #postgresUpsert} from the given index; returns the next index. */
	int bindPostgresUpsert(PreparedStatement statement, int start, Job job) throws SQLException {
		return bind(statement, JdbcDialect.POSTGRESQL, start, key(job), job, this.clock.instant());
	}

	private String key(Job job) {
		Object id = job.id();
		if (id == null) {
			throw new IllegalArgumentException("Job " + job + " has no id: JdbcStateStore keys jobs by id "
					+ "(Ergate.submit gives every job one; so does JdbcJobQueue for rows put without one)");
		}
		return JobKeys.key(this.mapper, id);
	}

	/** Writes a job's state on the given connection, in whatever transaction it is in. */
	void upsert(Connection connection, Job job) throws SQLException {
		JdbcDialect dialect = dialect(connection);
		String key = key(job);
		Instant now = this.clock.instant();
		if (dialect == JdbcDialect.H2) {
			upsertByUpdateThenInsert(connection, dialect, key, job, now);
			return;
		}
		String sql = (dialect == JdbcDialect.POSTGRESQL) ? this.postgresUpsert : this.mariadbUpsert;
		try (PreparedStatement statement = connection.prepareStatement(sql)) {
			bind(statement, dialect, 1, key, job, now);
			statement.executeUpdate();
		}
	}

	private void upsertByUpdateThenInsert(Connection connection, JdbcDialect dialect, String key, Job job,
			Instant now) throws SQLException {
		if (updateIfNotBehind(connection, dialect, key, job, now)) {
			return;
		}
		try (PreparedStatement statement = connection.prepareStatement(this.insert)) {
			bind(statement, dialect, 1, key, job, now);
			statement.executeUpdate();
		}
		catch (SQLException ex) {
			if (!"23505".equals(ex.getSQLState())) {
				throw ex;
			}
			// inserted by another transaction meanwhile, or held back by a later state
			updateIfNotBehind(connection, dialect, key, job, now);
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

	private List<Job> query(String sql, Binder binder) {
		try {
			Connection connection = this.connections.shared();
			try (PreparedStatement statement = connection.prepareStatement(sql)) {
				JdbcDialect dialect = dialect(connection);
				binder.bind(statement);
				List<Job> jobs = new ArrayList<>();
				try (ResultSet rows = statement.executeQuery()) {
					while (rows.next()) {
						jobs.add(read(rows, dialect));
					}
				}
				return jobs;
			}
			finally {
				this.connections.release(connection);
			}
		}
		catch (SQLException ex) {
			throw new ErgateJdbcException("Reading jobs from " + this.table + " failed", ex);
		}
	}

	private Job read(ResultSet rows, JdbcDialect dialect) throws SQLException {
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

	private JdbcDialect dialect(Connection connection) throws SQLException {
		return this.connections.dialect(connection);
	}

	@FunctionalInterface
	private interface Binder {

		void bind(PreparedStatement statement) throws SQLException;

	}

}
