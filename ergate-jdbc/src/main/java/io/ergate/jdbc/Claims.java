package io.ergate.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.ergate.Job;
import io.ergate.JobDecoder;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Claiming rows, one round trip a claim: PostgreSQL's single {@code UPDATE ... RETURNING} or, on the
 * other databases, {@code SELECT ... FOR UPDATE SKIP LOCKED} then an update in one transaction. Sizes
 * the batches (1, 2, 4, ... while claims come back full) and reads each row's job, dead-lettering
 * the rows that are not valid jobs or were delivered too often.
 */
final class Claims {

	private final Connections connections;

	private final QueueTable table;

	private final DeadLetters deadLetters;

	private final JdbcOptions options;

	private final JsonMapper mapper;

	private final JobDecoder decoder;

	private final AtomicInteger nextSize = new AtomicInteger(1);

	Claims(Connections connections, QueueTable table, DeadLetters deadLetters, JdbcOptions options) {
		this.connections = connections;
		this.table = table;
		this.deadLetters = deadLetters;
		this.options = options;
		this.mapper = options.jsonMapper();
		this.decoder = new JobDecoder(this.mapper, options.maxPayloadBytes());
	}

	/** Whether the last claim came back full: the queue holds more than this process takes at a time. */
	boolean lastClaimWasFull() {
		return this.nextSize.get() > 1;
	}

	/**
	 * Claims the next rows for the given queue.
	 * @return the deliveries in queue order, empty when none is due, or null when every row claimed was
	 * dead-lettered
	 */
	@Nullable List<JdbcDelivery> claim(JdbcJobQueue queue) {
		int limit = this.nextSize.get();
		List<Row> rows;
		try {
			rows = this.connections.dialect().claimsInOneStatement() ? claimReturning(limit)
					: claimSelectThenUpdate(limit);
		}
		catch (SQLException ex) {
			throw new ErgateJdbcException("Claiming jobs from " + this.table.name + " failed", ex);
		}
		this.nextSize.set((rows.size() == limit) ? Math.min(limit * 2, this.options.claimBatchSize()) : 1);
		if (rows.isEmpty()) {
			return List.of();
		}
		rows.sort(Comparator.comparingLong(Row::readyAt).thenComparingLong(Row::id));
		long now = System.nanoTime();
		List<JdbcDelivery> deliveries = new ArrayList<>(rows.size());
		for (Row row : rows) {
			Job job = decode(row);
			if (job != null) {
				deliveries.add(new JdbcDelivery(queue, row.id(), row.deliveryCount(), job, now));
			}
		}
		return deliveries.isEmpty() ? null : deliveries;
	}

	/** The earliest ready_at of an unclaimed row, to sleep until a delayed job is due. */
	@Nullable Long nextDue() {
		try (Connection connection = this.connections.own()) {
			return QueueTable.queryLong(connection, this.table.nextDue, 0);
		}
		catch (SQLException ex) {
			throw new ErgateJdbcException("Reading the next due time from " + this.table.name + " failed", ex);
		}
	}

	private List<Row> claimReturning(int limit) throws SQLException {
		long now = this.table.clock.millis();
		try (Connection connection = this.connections.own();
				PreparedStatement statement = connection.prepareStatement(this.table.claimReturning)) {
			if (!connection.getAutoCommit()) {
				connection.setAutoCommit(true);
			}
			statement.setString(1, this.table.instanceId);
			statement.setLong(2, now + this.options.leaseDuration().toMillis());
			statement.setLong(3, now);
			statement.setLong(4, now);
			statement.setInt(5, limit);
			List<Row> rows = new ArrayList<>(limit);
			try (ResultSet result = statement.executeQuery()) {
				while (result.next()) {
					rows.add(new Row(result.getLong(1), result.getString(2), result.getInt(3), result.getLong(4)));
				}
			}
			return rows;
		}
	}

	private List<Row> claimSelectThenUpdate(int limit) throws SQLException {
		long now = this.table.clock.millis();
		try (Connection connection = this.connections.own()) {
			int isolation = connection.getTransactionIsolation();
			boolean readCommitted = this.connections.dialect().claimsReadCommitted()
					&& isolation != Connection.TRANSACTION_READ_COMMITTED;
			if (readCommitted) {
				// no gap locks: concurrent claimers skip each other's rows instead of waiting
				connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
			}
			try {
				return Connections.inOwnTransaction(connection, (tx) -> {
					List<Row> rows = new ArrayList<>(limit);
					try (PreparedStatement statement = tx.prepareStatement(this.table.claimSelect)) {
						statement.setLong(1, now);
						statement.setLong(2, now);
						statement.setInt(3, limit);
						try (ResultSet result = statement.executeQuery()) {
							while (result.next()) {
								rows.add(new Row(result.getLong(1), result.getString(2), result.getInt(3) + 1,
										result.getLong(4)));
							}
						}
					}
					if (!rows.isEmpty()) {
						try (PreparedStatement statement = tx.prepareStatement(this.table.claimUpdate)) {
							for (Row row : rows) {
								statement.setString(1, this.table.instanceId);
								statement.setLong(2, now + this.options.leaseDuration().toMillis());
								statement.setLong(3, row.id());
								statement.addBatch();
							}
							statement.executeBatch();
						}
					}
					return rows;
				});
			}
			finally {
				if (readCommitted) {
					connection.setTransactionIsolation(isolation);
				}
			}
		}
	}

	/** Reads a claimed row's job, or moves the row to the dead-letter table and returns null. */
	private @Nullable Job decode(Row row) {
		int max = this.options.maxDeliveries();
		if (max > 0 && row.deliveryCount() > max) {
			this.deadLetters.poison(row.id(), row.deliveryCount(), row.payload(),
					new IllegalStateException("Delivered " + row.deliveryCount() + " times without completing "
							+ "(max-deliveries " + max + "): its step or its hand-over keeps failing, or keeps "
							+ "killing its worker; see the worker logs"));
			return null;
		}
		try {
			// a row put by hand without an id gets one that is stable across redeliveries
			Job job = this.decoder.decode(row.payload(), this.table.name + ":" + row.id()).job();
			JobKeys.key(this.mapper, job.id());
			return job;
		}
		catch (RuntimeException ex) {
			this.deadLetters.poison(row.id(), row.deliveryCount(), row.payload(), ex);
			return null;
		}
	}

	private record Row(long id, String payload, int deliveryCount, long readyAt) {
	}

}
