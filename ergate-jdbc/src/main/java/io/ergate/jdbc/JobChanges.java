package io.ergate.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import io.ergate.Job;
import io.ergate.JobStatus;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Changes to a job from outside its steps, each in one transaction over the queue table and a store
 * on the same database: a cancel (the job's waiting row deleted, or, when a worker holds it, the job
 * marked CANCELLING for its hand-over to record CANCELLED) and a requeue (the state and its row
 * written together). Queue rows are locked before the job's row, in the order hand-overs lock them.
 */
final class JobChanges {

	private final Connections connections;

	private final QueueTable table;

	private final Signal signal;

	private final JsonMapper mapper;

	private final String deleteWaiting;

	private final String anyRow;

	JobChanges(Connections connections, QueueTable table, Signal signal, JdbcOptions options) {
		this.connections = connections;
		this.table = table;
		this.signal = signal;
		this.mapper = options.jsonMapper();
		// waiting rows, and rows whose lease ran out (their worker died): no live worker holds them
		this.deleteWaiting = "DELETE FROM " + table.name + " WHERE job_id = ? AND (claimed_by IS NULL OR lease_until < ?)";
		this.anyRow = "SELECT 1 FROM " + table.name + " WHERE job_id = ?";
	}

	Optional<Job> cancel(Object id, JdbcStateStore store) {
		String key = JobKeys.key(this.mapper, id);
		for (int attempt = 1;; attempt++) {
			try {
				return this.connections.inTransaction((connection) -> cancel(connection, key, store));
			}
			catch (Unchanged ex) {
				return Optional.ofNullable(ex.recorded);
			}
			catch (SQLException ex) {
				// a hand-over of the same job locked its rows in between (the database broke the deadlock)
				if (attempt >= 3 || !isDeadlock(ex)) {
					throw new ErgateJdbcException("Cancelling job " + id + " in " + this.table.name + " failed", ex);
				}
			}
		}
	}

	private Optional<Job> cancel(Connection connection, String key, JdbcStateStore store) throws SQLException {
		int deleted = deleteWaiting(connection, key);
		Job recorded = store.table().readForUpdate(connection, key);
		if (recorded == null || recorded.status().isFinal() || recorded.status() == JobStatus.CANCELLING) {
			// nothing to cancel: whatever was deleted is put back by the rollback
			throw new Unchanged(recorded);
		}
		if (deleted == 0) {
			// a hand-over committed a successor while this waited for the job's row
			deleted = deleteWaiting(connection, key);
		}
		boolean held = deleted == 0 && anyRow(connection, key);
		Job requested = recorded.toBuilder().status(held ? JobStatus.CANCELLING : JobStatus.CANCELLED).build();
		store.table().overwrite(connection, requested, true);
		return Optional.of(requested);
	}

	boolean requeue(Job job, JobStatus expected, JdbcStateStore store) {
		try {
			boolean done = this.connections.inTransaction((connection) -> {
				Job recorded = store.table().readForUpdate(connection, store.table().key(job));
				if (recorded == null || recorded.status() != expected) {
					return false;
				}
				JdbcDialect dialect = this.connections.dialect(connection);
				store.table().overwrite(connection, job, true);
				this.table.insert(connection, dialect, List.of(job));
				this.table.notifyWorkers(connection, dialect);
				return true;
			});
			if (done) {
				this.signal.bump();
			}
			return done;
		}
		catch (SQLException ex) {
			throw new ErgateJdbcException("Requeueing job " + job.id() + " in " + this.table.name + " failed", ex);
		}
	}

	private int deleteWaiting(Connection connection, String key) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.deleteWaiting)) {
			statement.setString(1, key);
			statement.setLong(2, this.table.clock.millis());
			return statement.executeUpdate();
		}
	}

	private boolean anyRow(Connection connection, String key) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.anyRow)) {
			statement.setString(1, key);
			try (ResultSet rows = statement.executeQuery()) {
				return rows.next();
			}
		}
	}

	private static boolean isDeadlock(SQLException ex) {
		String state = ex.getSQLState();
		return "40P01".equals(state) || "40001".equals(state) || ex.getErrorCode() == 1213;
	}

	/** Rolls a cancel back when there is nothing to cancel, carrying the recorded state out. */
	private static final class Unchanged extends RuntimeException {

		private static final long serialVersionUID = 1L;

		private final transient @Nullable Job recorded;

		Unchanged(@Nullable Job recorded) {
			super(null, null, false, false);
			this.recorded = recorded;
		}

	}

}
