package io.ergate.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The heartbeat: one daemon thread per queue that extends the leases of the running steps every
 * third of the lease (one batch, one round trip) and gives back the rows claimed ahead that waited too
 * long or that no worker comes to take. The queue's other timed work runs on its thread too.
 */
final class LeaseKeeper {

	/** The queue's log category, which users may already tune. */
	private static final Logger logger = LoggerFactory.getLogger(JdbcJobQueue.class);

	private final Connections connections;

	private final QueueTable table;

	private final ClaimedRows rows;

	private final Duration leaseDuration;

	private final Duration pollInterval;

	private volatile @Nullable ScheduledExecutorService executor;

	LeaseKeeper(Connections connections, QueueTable table, ClaimedRows rows, Duration leaseDuration,
			Duration pollInterval) {
		this.connections = connections;
		this.table = table;
		this.rows = rows;
		this.leaseDuration = leaseDuration;
		this.pollInterval = pollInterval;
	}

	/** Starts the heartbeat (called once); the first beat comes a third of a lease later. */
	void start() {
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "ergate-jdbc-heartbeat-" + this.table.name);
			thread.setDaemon(true);
			return thread;
		});
		long period = Math.max(100, this.leaseDuration.toMillis() / 3);
		executor.scheduleWithFixedDelay(this::beat, period, period, TimeUnit.MILLISECONDS);
		long poll = this.pollInterval.toMillis();
		executor.scheduleWithFixedDelay(this.rows::giveBackWhenNoWorkerTakes, poll, poll, TimeUnit.MILLISECONDS);
		this.executor = executor;
	}

	/** Runs work once after the delay, on the heartbeat's thread; nothing before the start or once closed. */
	void schedule(Runnable work, long delayNanos) {
		ScheduledExecutorService executor = this.executor;
		if (executor != null) {
			try {
				executor.schedule(work, delayNanos, TimeUnit.NANOSECONDS);
			}
			catch (RejectedExecutionException ex) {
				// closing: whoever closes does what was left
			}
		}
	}

	void close() {
		ScheduledExecutorService executor = this.executor;
		if (executor != null) {
			executor.shutdownNow();
		}
	}

	private void beat() {
		try {
			this.rows.giveBackStale();
			List<JdbcDelivery> running = this.rows.running();
			if (running.isEmpty()) {
				return;
			}
			long leaseUntil = this.table.clock.millis() + this.leaseDuration.toMillis();
			try (Connection connection = this.connections.own()) {
				int[] counts = Connections.inOwnTransaction(connection, (tx) -> {
					this.connections.dialect(tx).relaxCommit(tx);
					try (PreparedStatement statement = tx.prepareStatement(this.table.extendLease)) {
						for (JdbcDelivery delivery : running) {
							statement.setLong(1, leaseUntil);
							this.table.bindClaimedRow(statement, 2, delivery);
							statement.addBatch();
						}
						return statement.executeBatch();
					}
				});
				for (int i = 0; i < counts.length; i++) {
					JdbcDelivery delivery = running.get(i);
					if (counts[i] == 0 && !delivery.isFinished() && this.rows.isRunning(delivery)) {
						logger.warn(this.table.leaseLost(delivery) + " while its step was running");
					}
				}
			}
		}
		catch (SQLException | RuntimeException ex) {
			logger.warn("Extending the leases of {} failed; retrying in {}", this.table.name,
					this.leaseDuration.dividedBy(3), ex);
		}
	}

}
