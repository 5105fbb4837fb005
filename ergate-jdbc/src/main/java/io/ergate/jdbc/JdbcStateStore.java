package io.ergate.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import javax.sql.DataSource;

import io.ergate.FencingStateStore;
import io.ergate.Job;
import io.ergate.JobHistory;
import io.ergate.JobStatus;
import io.ergate.JobTransition;
import io.ergate.QueryableStateStore;
import org.jspecify.annotations.Nullable;
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
 * <p>
 * With {@link JdbcOptions.Builder#history(java.time.Duration) JdbcOptions.history(retention)} it also keeps
 * every state of each job in the {@code job_history} table, written in the transaction (on PostgreSQL
 * the statement) of the state's write, for {@link #history(Object)}; off by default, when
 * {@link #history(Object)} answers nothing.
 */
public final class JdbcStateStore implements QueryableStateStore, FencingStateStore, JobHistory {

	private final Connections connections;

	private final JdbcOptions options;

	private final JsonMapper mapper;

	private final StateTable table;

	private final RunningMarks runningMarks;

	/** The hand-overs of queues that wait to commit in groups, which a read commits first. */
	private final Set<HandOvers> handOversBeforeRead = ConcurrentHashMap.newKeySet();

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
		this.table = new StateTable(this.connections, options);
		this.runningMarks = new RunningMarks(this.table, options.runningStateDelay());
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
		String key = this.table.key(job);
		this.runningMarks.settle(key);
		if (job.status() == JobStatus.RUNNING && deferRunning()) {
			this.runningMarks.defer(key, job);
			return;
		}
		this.table.write(job);
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Written at once (never deferred like {@link #update(Job) update}'s RUNNING marks), in a
	 * transaction that locks the job's row.
	 */
	@Override
	public boolean updateIf(Job job, Predicate<Job> allows) {
		String key = this.table.key(job);
		this.runningMarks.settle(key);
		try (Connection connection = this.connections.own()) {
			return Connections.inOwnTransaction(connection, (tx) -> {
				Job recorded = null;
				try (PreparedStatement statement = tx.prepareStatement(this.table.selectForUpdate)) {
					statement.setString(1, key);
					try (ResultSet rows = statement.executeQuery()) {
						if (rows.next()) {
							recorded = Job.builder(rows.getString(1))
								.status(JobStatus.valueOf(rows.getString(2)))
								.stepsCompleted(rows.getInt(3))
								.metadata(this.table.metadata(rows.getString(4)))
								.build();
						}
					}
				}
				if (recorded != null && !allows.test(recorded)) {
					return false;
				}
				// the row is locked and the test decided: written whatever it holds (a requeue of a cancelled job)
				this.table.overwrite(tx, job, recorded != null);
				return true;
			});
		}
		catch (SQLException ex) {
			throw new ErgateJdbcException("Recording the state of job " + job.id() + " in " + this.table.name + " failed",
					ex);
		}
	}

	@Override
	public boolean deleteFinished(Object id) {
		beforeRead();
		String key = JobKeys.key(this.mapper, id);
		try (Connection connection = this.connections.own()) {
			try (PreparedStatement statement = connection.prepareStatement("DELETE FROM " + this.table.name
					+ " WHERE job_key = ? AND status IN ('COMPLETED', 'FAILED', 'ABORTED', 'CANCELLED')")) {
				statement.setString(1, key);
				boolean deleted = statement.executeUpdate() > 0;
				if (deleted && this.table.history.enabled()) {
					this.table.history.deleteJob(connection, key);
				}
				return deleted;
			}
		}
		catch (SQLException ex) {
			throw new ErgateJdbcException("Deleting job " + id + " from " + this.table.name + " failed", ex);
		}
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Every state recorded while {@link JdbcOptions#historyEnabled()} and within its retention; empty when
	 * the history is off.
	 */
	@Override
	public List<JobTransition> history(Object jobId) {
		if (!this.table.history.enabled()) {
			return List.of();
		}
		beforeRead();
		String key = JobKeys.key(this.mapper, jobId);
		try {
			Connection connection = this.connections.shared();
			try {
				return this.table.history.read(connection, this.connections.dialect(connection), key);
			}
			finally {
				this.connections.release(connection);
			}
		}
		catch (SQLException ex) {
			throw new ErgateJdbcException("Reading the history of job " + jobId + " from " + this.table.history.name
					+ " failed", ex);
		}
	}

	@Override
	public Optional<Job> findById(Object id) {
		beforeRead();
		String key = JobKeys.key(this.mapper, id);
		String sql = "SELECT " + StateTable.COLUMNS + " FROM " + this.table.name + " WHERE job_key = ?";
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
		beforeRead();
		StringBuilder sql = new StringBuilder("SELECT ").append(StateTable.COLUMNS).append(" FROM ").append(this.table.name);
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
		beforeRead();
		String sql = "SELECT status, COUNT(*) FROM " + this.table.name + " GROUP BY status";
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
			throw new ErgateJdbcException("Counting jobs by status in " + this.table.name + " failed", ex);
		}
	}

	@Override
	public String toString() {
		return "JdbcStateStore{table=" + this.table.name + "}";
	}

	/**
	 * Whether a RUNNING mark may wait {@link JdbcOptions#runningStateDelay()} before it is written: where
	 * a hand-over is one statement (PostgreSQL, where it is written without waiting for the flush
	 * anyway), outside any Spring transaction.
	 */
	private boolean deferRunning() {
		return this.connections.dialect().handsOverInOneStatement() && !this.options.runningStateDelay().isZero()
				&& !this.connections.isTransactionActive();
	}

	/**
	 * Before any other write of a job's state, such as a queue's hand-over: see
	 * {@link RunningMarks#settle(String)}.
	 */
	void settle(Job job) {
		if (!this.runningMarks.isEmpty()) {
			this.runningMarks.settle(this.table.key(job));
		}
	}

	/** Whether a queue on this data source can write this store in its own transactions. */
	boolean sharesDataSourceWith(DataSource dataSource) {
		return this.connections.dataSource() == dataSource;
	}

	/** The SQL and binders of this store's table, for a queue's hand-overs to write it. */
	StateTable table() {
		return this.table;
	}

	/** From now on, reads commit these hand-overs first (they wait to commit in groups). */
	void commitBeforeReads(HandOvers handOvers) {
		this.handOversBeforeRead.add(handOvers);
	}

	/** Reads no longer commit these hand-overs first (their queue is closed). */
	void forget(HandOvers handOvers) {
		this.handOversBeforeRead.remove(handOvers);
	}

	/**
	 * Before a read: commits waiting hand-overs and writes the RUNNING marks not written yet, so that a
	 * read sees every update made before it.
	 */
	/** The recorded state of a job, read at once: for the queue's hand-overs, which must not wait on themselves. */
	@Nullable Job recordedNow(Job job) {
		String key = this.table.key(job);
		List<Job> jobs = query("SELECT " + StateTable.COLUMNS + " FROM " + this.table.name + " WHERE job_key = ?",
				(statement) -> statement.setString(1, key));
		return jobs.isEmpty() ? null : jobs.get(0);
	}

	private void beforeRead() {
		for (HandOvers handOvers : this.handOversBeforeRead) {
			handOvers.commitBeforeRead();
		}
		this.runningMarks.flush();
	}

	private List<Job> query(String sql, Binder binder) {
		try {
			Connection connection = this.connections.shared();
			try (PreparedStatement statement = connection.prepareStatement(sql)) {
				JdbcDialect dialect = this.connections.dialect(connection);
				binder.bind(statement);
				List<Job> jobs = new ArrayList<>();
				try (ResultSet rows = statement.executeQuery()) {
					while (rows.next()) {
						jobs.add(this.table.read(rows, dialect));
					}
				}
				return jobs;
			}
			finally {
				this.connections.release(connection);
			}
		}
		catch (SQLException ex) {
			throw new ErgateJdbcException("Reading jobs from " + this.table.name + " failed", ex);
		}
	}

	@FunctionalInterface
	private interface Binder {

		void bind(PreparedStatement statement) throws SQLException;

	}

}
