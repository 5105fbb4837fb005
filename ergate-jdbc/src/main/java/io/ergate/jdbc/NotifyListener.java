package io.ergate.jdbc;

import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL's {@code LISTEN} on the queue's channel: one daemon thread and one connection per queue,
 * bumping the {@link Signal} idle workers sleep on whenever any process puts a job. It reconnects
 * after a failure, with a growing pause, while idle workers fall back to polling.
 */
final class NotifyListener {

	/** The queue's log category, which users may already tune. */
	private static final Logger logger = LoggerFactory.getLogger(JdbcJobQueue.class);

	private final Connections connections;

	private final String tableName;

	private final String channel;

	private final Signal signal;

	private final Duration pollInterval;

	private volatile boolean closed;

	private volatile boolean listening;

	private @Nullable Thread thread;

	NotifyListener(Connections connections, QueueTable table, Signal signal, Duration pollInterval) {
		this.connections = connections;
		this.tableName = table.name;
		this.channel = table.channel;
		this.signal = signal;
		this.pollInterval = pollInterval;
	}

	void start(String threadName) {
		Thread thread = new Thread(this::listen, threadName);
		thread.setDaemon(true);
		thread.start();
		this.thread = thread;
	}

	/** Whether the {@code LISTEN} connection is up. */
	boolean isListening() {
		return this.listening;
	}

	/** Stops listening and waits a little for the thread to end. */
	void close() {
		this.closed = true;
		Thread thread = this.thread;
		if (thread != null) {
			try {
				thread.join(2000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private void listen() {
		Class<?> pgConnection;
		Method getNotifications;
		try {
			pgConnection = Class.forName("org.postgresql.PGConnection", false,
					Thread.currentThread().getContextClassLoader());
			getNotifications = pgConnection.getMethod("getNotifications", int.class);
		}
		catch (ReflectiveOperationException | LinkageError ex) {
			try {
				pgConnection = Class.forName("org.postgresql.PGConnection");
				getNotifications = pgConnection.getMethod("getNotifications", int.class);
			}
			catch (ReflectiveOperationException | LinkageError ex2) {
				logger.info("The PostgreSQL JDBC driver's PGConnection is not available: idle workers poll {} every {}",
						this.tableName, this.pollInterval);
				return;
			}
		}
		long failures = 0;
		while (!this.closed) {
			try (Connection connection = this.connections.own()) {
				if (!connection.getAutoCommit()) {
					connection.setAutoCommit(true);
				}
				try (Statement statement = connection.createStatement()) {
					statement.execute("LISTEN \"" + this.channel + "\"");
				}
				Object pg = connection.unwrap(pgConnection);
				this.listening = true;
				failures = 0;
				this.signal.bump();
				while (!this.closed) {
					Object[] notifications = (Object[]) getNotifications.invoke(pg, 250);
					if (notifications != null && notifications.length > 0) {
						this.signal.bump();
					}
				}
			}
			catch (SQLException | ReflectiveOperationException | RuntimeException ex) {
				if (!this.closed) {
					failures++;
					logger.warn("Listening for puts on {} failed; idle workers poll every {} until it is back", this.channel,
							this.pollInterval, ex);
				}
			}
			finally {
				this.listening = false;
			}
			if (!this.closed) {
				try {
					Thread.sleep(Math.min(30_000, 1000 * failures));
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}
	}

}
