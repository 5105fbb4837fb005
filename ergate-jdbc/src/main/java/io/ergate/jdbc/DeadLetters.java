package io.ergate.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

import io.ergate.PoisonJobException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves claimed rows to the dead-letter table ({@code ergate_dead_letter}) with their reason, in one
 * transaction of their own: poison rows found while claiming, and the jobs the engine gives up on.
 * A row that is not ours any more (its lease was lost) stays where it is.
 */
final class DeadLetters {

	/** The queue's log category, which users may already tune. */
	private static final Logger logger = LoggerFactory.getLogger(JdbcJobQueue.class);

	private final Connections connections;

	private final QueueTable table;

	DeadLetters(Connections connections, QueueTable table) {
		this.connections = connections;
		this.table = table;
	}

	/** A row whose payload could not be read as a job: the error is the reason. */
	void poison(long rowId, int deliveryCount, String payload, RuntimeException error) {
		String reason = (error instanceof PoisonJobException) ? error.getMessage()
				: error.getClass().getName() + ": " + error.getMessage();
		move(rowId, deliveryCount, payload, reason);
	}

	/** Moves a claimed row with the reason; false when it was not ours any more or the database refused. */
	boolean move(long rowId, int deliveryCount, String payload, String reason) {
		logger.warn("Queue row {} of {} moves to {}: {}", rowId, this.table.name, this.table.deadLetterName, reason);
		try (Connection connection = this.connections.own()) {
			return Connections.inOwnTransaction(connection,
					(tx) -> this.table.moveToDeadLetters(tx, rowId, deliveryCount, payload, reason));
		}
		catch (SQLException ex) {
			// the row stays claimed: it is tried again when its lease ends
			logger.error("Moving queue row {} of {} to {} failed", rowId, this.table.name, this.table.deadLetterName,
					ex);
			return false;
		}
	}

}
