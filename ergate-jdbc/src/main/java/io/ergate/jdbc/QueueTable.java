package io.ergate.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Collection;
import java.util.Locale;

import io.ergate.Job;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * The SQL of the queue table ({@code ergate_queue}) and of its dead-letter table, and the binders of
 * their parameters: what every other part of {@link JdbcJobQueue} runs, built once per queue.
 * Every write to a claimed row is fenced by its id, {@code claimed_by} and {@code delivery_count}.
 */
final class QueueTable {

	/** The fence of every write to a claimed row: only the claim that holds it may change it. */
	static final String CLAIMED_ROW = " WHERE id = ? AND claimed_by = ? AND delivery_count = ?";

	private static final String CLAIMABLE = " WHERE ready_at <= ? AND (lease_until IS NULL OR lease_until < ?) "
			+ "ORDER BY ready_at, id LIMIT ? FOR UPDATE SKIP LOCKED";

	private static final String QUEUE_COLUMNS = " (job_id, workflow_name, payload, ready_at, delivery_count, enqueued_at)";

	final String name;

	final String deadLetterName;

	/** The PostgreSQL channel that {@code NOTIFY} and {@code LISTEN} use. */
	final String channel;

	/** The id written into {@code claimed_by}. */
	final String instanceId;

	final Clock clock = Clock.systemUTC();

	private final JdbcOptions options;

	private final JsonMapper mapper;

	/** PostgreSQL: claims rows in one auto-committed statement, without waiting for the WAL flush. */
	final String claimReturning;

	final String claimSelect;

	final String claimUpdate;

	final String extendLease;

	final String nextDue;

	private final String deleteClaimed;

	private final String insertDeadLetter;

	QueueTable(JdbcOptions options, String instanceId) {
		this.options = options;
		this.mapper = options.jsonMapper();
		this.name = options.table("queue");
		this.deadLetterName = options.table("dead_letter");
		this.channel = this.name.toLowerCase(Locale.ROOT);
		this.instanceId = instanceId;
		// claims commit without waiting for the WAL flush: one lost in a database crash only makes its
		// steps run again
		this.claimReturning = JdbcDialect.NO_FLUSH_WAIT + " UPDATE " + this.name
				+ " SET claimed_by = ?, lease_until = ?, delivery_count = delivery_count + 1 FROM c WHERE id IN "
				+ "(SELECT id FROM " + this.name + CLAIMABLE + ") RETURNING id, payload, delivery_count, ready_at";
		this.claimSelect = "SELECT id, payload, delivery_count, ready_at FROM " + this.name + CLAIMABLE;
		this.claimUpdate = "UPDATE " + this.name
				+ " SET claimed_by = ?, lease_until = ?, delivery_count = delivery_count + 1 WHERE id = ?";
		this.extendLease = "UPDATE " + this.name + " SET lease_until = ?" + CLAIMED_ROW;
		this.nextDue = "SELECT MIN(ready_at) FROM " + this.name + " WHERE lease_until IS NULL";
		this.deleteClaimed = "DELETE FROM " + this.name + CLAIMED_ROW;
		this.insertDeadLetter = "INSERT INTO " + this.deadLetterName
				+ " (queue_id, payload, error, delivery_count, failed_at) VALUES (?, ?, ?, ?, ?)";
	}

	/** The release of a claimed row: unclaimed, one delivery less when never started, due later when delayed. */
	String release(boolean unstarted, long delayMs) {
		return "UPDATE " + this.name + " SET claimed_by = NULL, lease_until = NULL"
				+ (unstarted ? ", delivery_count = delivery_count - 1" : "")
				+ ((delayMs > 0) ? ", ready_at = " + (this.clock.millis() + delayMs) : "") + CLAIMED_ROW;
	}

	/**
	 * PostgreSQL: the head of a hand-over, deleting the claimed row ({@code d}) for the rest of the
	 * statement to write only when it was still ours.
	 */
	String deleteClaimedAs(String alias) {
		return "WITH " + alias + " AS (DELETE FROM " + this.name + CLAIMED_ROW + " RETURNING id)";
	}

	/** PostgreSQL: inserts the successor for each row of {@code from}; its parameters bind with {@link #bindInsert}. */
	String insertSuccessorFrom(String from) {
		return "INSERT INTO " + this.name + QUEUE_COLUMNS + " SELECT ?, ?, " + JdbcDialect.POSTGRESQL.jsonParameter()
				+ ", ?, 0, ? FROM " + from;
	}

	/** Binds the fence of a claimed row (id, claimed_by, delivery_count) from the given index; returns the next. */
	int bindClaimedRow(PreparedStatement statement, int start, JdbcDelivery delivery) throws SQLException {
		statement.setLong(start, delivery.rowId);
		statement.setString(start + 1, this.instanceId);
		statement.setInt(start + 2, delivery.deliveryCount);
		return start + 3;
	}

	/** Inserts jobs, in one batch when there are several. */
	void insert(Connection connection, JdbcDialect dialect, Collection<Job> jobs) throws SQLException {
		String sql = "INSERT INTO " + this.name + QUEUE_COLUMNS + " VALUES (?, ?, " + dialect.jsonParameter()
				+ ", ?, 0, ?)";
		long now = this.clock.millis();
		try (PreparedStatement statement = connection.prepareStatement(sql)) {
			for (Job job : jobs) {
				bindInsert(statement, 1, job, now);
				if (jobs.size() == 1) {
					statement.executeUpdate();
				}
				else {
					statement.addBatch();
				}
			}
			if (jobs.size() > 1) {
				statement.executeBatch();
			}
		}
	}

	/** Binds job_id, workflow_name, payload, ready_at and enqueued_at from the given index. */
	void bindInsert(PreparedStatement statement, int start, Job job, long now) throws SQLException {
		Object id = job.id();
		long readyAt = (job.requestedStartTime() != null) ? Math.max(now, job.requestedStartTime().toEpochMilli()) : now;
		statement.setString(start, (id != null) ? JobKeys.key(this.mapper, id) : null);
		statement.setString(start + 1, job.workflowName());
		statement.setString(start + 2, this.mapper.writeValueAsString(job));
		statement.setLong(start + 3, readyAt);
		statement.setLong(start + 4, now);
	}

	/** Wakes the idle workers of every process (PostgreSQL, when listening is on). */
	void notifyWorkers(Connection connection, JdbcDialect dialect) throws SQLException {
		if (!this.options.listenNotify() || !dialect.supportsListenNotify()) {
			return;
		}
		try (PreparedStatement statement = connection.prepareStatement("SELECT pg_notify(?, '')")) {
			statement.setString(1, this.channel);
			statement.executeQuery().close();
		}
	}

	int deleteClaimed(Connection connection, long rowId, int deliveryCount) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.deleteClaimed)) {
			statement.setLong(1, rowId);
			statement.setString(2, this.instanceId);
			statement.setInt(3, deliveryCount);
			return statement.executeUpdate();
		}
	}

	/** Moves a claimed row to the dead-letter table; false when it was not ours any more. */
	boolean moveToDeadLetters(Connection connection, long rowId, int deliveryCount, String payload, String reason)
			throws SQLException {
		if (deleteClaimed(connection, rowId, deliveryCount) != 1) {
			return false;
		}
		try (PreparedStatement statement = connection.prepareStatement(this.insertDeadLetter)) {
			statement.setLong(1, rowId);
			statement.setString(2, payload);
			statement.setString(3, reason);
			statement.setInt(4, deliveryCount);
			statement.setLong(5, this.clock.millis());
			statement.executeUpdate();
		}
		return true;
	}

	/** Runs a query of one number with at most one parameter; null when it yields none. */
	static @Nullable Long queryLong(Connection connection, String sql, long parameter) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(sql)) {
			if (sql.indexOf('?') >= 0) {
				statement.setLong(1, parameter);
			}
			try (ResultSet result = statement.executeQuery()) {
				if (result.next()) {
					long value = result.getLong(1);
					return result.wasNull() ? null : value;
				}
				return null;
			}
		}
	}

	String leaseLost(JdbcDelivery delivery) {
		return "The lease of job " + delivery.job().id() + " (row " + delivery.rowId + " of " + this.name
				+ ", delivery " + delivery.deliveryCount + ") was lost: another worker claimed it after the lease of "
				+ this.options.leaseDuration() + " ended";
	}

}
