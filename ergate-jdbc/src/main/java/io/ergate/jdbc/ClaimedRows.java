package io.ergate.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rows this process holds: those claimed in a batch that no worker has started yet (handed out
 * one by one, given back when stale or unwanted) and those whose step runs now (whose leases the
 * {@link LeaseKeeper} extends). Also gives rows back, fenced, claimable again by any process.
 */
final class ClaimedRows {

	/** The queue's log category, which users may already tune. */
	private static final Logger logger = LoggerFactory.getLogger(JdbcJobQueue.class);

	private final Connections connections;

	private final QueueTable table;

	private final Signal signal;

	private final long maxWaitNanos;

	private final long pollIntervalNanos;

	private final ConcurrentLinkedDeque<JdbcDelivery> notStarted = new ConcurrentLinkedDeque<>();

	private final Set<JdbcDelivery> running = ConcurrentHashMap.newKeySet();

	private volatile long lastTakeNanos = System.nanoTime();

	ClaimedRows(Connections connections, QueueTable table, Signal signal, Duration leaseDuration,
			Duration pollInterval) {
		this.connections = connections;
		this.table = table;
		this.signal = signal;
		// a row claimed ahead waits at most half its lease, so that its step has time to start
		this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(leaseDuration.toMillis() / 2);
		this.pollIntervalNanos = pollInterval.toNanos();
	}

	/** A worker comes to take a job: remembered to tell whether workers still come. */
	void takeBegins() {
		this.lastTakeNanos = System.nanoTime();
	}

	/** The oldest row claimed ahead and not stale, now running; stale ones on the way are given back. */
	@Nullable JdbcDelivery startNext() {
		JdbcDelivery delivery;
		while ((delivery = this.notStarted.pollFirst()) != null) {
			if (System.nanoTime() - delivery.claimedAtNanos < this.maxWaitNanos) {
				this.running.add(delivery);
				return delivery;
			}
			giveBack(delivery);
		}
		return null;
	}

	/** Keeps the rows of a batch after its first, which starts now, for the next takes. */
	void claimed(List<JdbcDelivery> deliveries) {
		this.running.add(deliveries.get(0));
		if (deliveries.size() > 1) {
			this.notStarted.addAll(deliveries.subList(1, deliveries.size()));
			this.signal.bump();
		}
	}

	/** The delivery is settled (or about to be): its lease is no longer extended. */
	void finished(JdbcDelivery delivery) {
		this.running.remove(delivery);
	}

	boolean isRunning(JdbcDelivery delivery) {
		return this.running.contains(delivery);
	}

	/** The deliveries whose step runs now. */
	List<JdbcDelivery> running() {
		return new ArrayList<>(this.running);
	}

	boolean anyNotStarted() {
		return !this.notStarted.isEmpty();
	}

	boolean anyRunning() {
		return !this.running.isEmpty();
	}

	/** Gives back the rows claimed ahead that waited half a lease. */
	void giveBackStale() {
		for (JdbcDelivery delivery : this.notStarted) {
			if (System.nanoTime() - delivery.claimedAtNanos >= this.maxWaitNanos && this.notStarted.remove(delivery)) {
				giveBack(delivery);
			}
		}
	}

	/**
	 * Rows claimed in a batch wait for this process's workers; when none has come to take one for a
	 * poll interval (the engine stopped, or every worker is busy with a long step), they are given
	 * back for other processes to run.
	 */
	void giveBackWhenNoWorkerTakes() {
		if (!this.notStarted.isEmpty() && System.nanoTime() - this.lastTakeNanos > this.pollIntervalNanos) {
			giveBackNotStarted();
		}
	}

	void giveBackNotStarted() {
		JdbcDelivery delivery;
		while ((delivery = this.notStarted.pollFirst()) != null) {
			giveBack(delivery);
		}
	}

	/** Gives a row back: claimable again once the delay has passed. Unstarted rows do not count as delivered. */
	void release(JdbcDelivery delivery, boolean unstarted, long delayMs) {
		this.running.remove(delivery);
		String sql = this.table.release(unstarted, delayMs);
		try (Connection connection = this.connections.own()) {
			Connections.inOwnTransaction(connection, (tx) -> {
				this.connections.dialect(tx).relaxCommit(tx);
				try (PreparedStatement statement = tx.prepareStatement(sql)) {
					this.table.bindClaimedRow(statement, 1, delivery);
					return statement.executeUpdate();
				}
			});
		}
		catch (SQLException ex) {
			throw new ErgateJdbcException("Releasing row " + delivery.rowId + " of " + this.table.name + " failed", ex);
		}
		this.signal.bump();
	}

	/** Gives back a row whose hand-over failed: its step runs again. */
	void giveBackAfterFailure(JdbcDelivery delivery) {
		releaseOrLog(delivery, false);
	}

	/** Gives back a row claimed ahead that no worker will start, unless it was settled meanwhile. */
	private void giveBack(JdbcDelivery delivery) {
		if (delivery.takeBack()) {
			releaseOrLog(delivery, true);
		}
	}

	/** Releases a row at once; a failure only logs, the row being claimable again when its lease ends. */
	private void releaseOrLog(JdbcDelivery delivery, boolean unstarted) {
		try {
			release(delivery, unstarted, 0);
		}
		catch (RuntimeException ex) {
			logger.warn("Giving back row {} of {} failed; it is claimable again when its lease ends", delivery.rowId,
					this.table.name, ex);
		}
	}

}
