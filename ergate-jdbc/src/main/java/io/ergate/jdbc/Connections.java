package io.ergate.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

/**
 * Hands out connections of one data source. When spring-jdbc is on the class path, connections are
 * obtained through {@code DataSourceUtils}, so that work done on a thread with a Spring-managed
 * transaction joins it (a job put inside a {@code @Transactional} method is queued only if that
 * transaction commits). Claims, heartbeats and releases always use a connection of their own: they
 * must commit at once, whatever the caller's transaction does.
 */
final class Connections {

	private static final boolean SPRING_JDBC_PRESENT = isPresent(
			"org.springframework.jdbc.datasource.DataSourceUtils");

	private final DataSource dataSource;

	private volatile @Nullable JdbcDialect dialect;

	/**
	 * @param dataSource the database
	 * @param dialect its dialect, or {@code null} to detect it from the first connection that asks
	 */
	Connections(DataSource dataSource, @Nullable JdbcDialect dialect) {
		this.dataSource = dataSource;
		this.dialect = dialect;
	}

	DataSource dataSource() {
		return this.dataSource;
	}

	/** The configured dialect, or the one detected on a connection of its own (once). */
	JdbcDialect dialect() {
		JdbcDialect dialect = this.dialect;
		if (dialect == null) {
			dialect = JdbcDialect.detect(this.dataSource);
			this.dialect = dialect;
		}
		return dialect;
	}

	/** The configured dialect, or the one detected on the given connection (once). */
	JdbcDialect dialect(Connection connection) throws SQLException {
		JdbcDialect dialect = this.dialect;
		if (dialect == null) {
			dialect = JdbcDialect.of(connection.getMetaData());
			this.dialect = dialect;
		}
		return dialect;
	}

	/** A connection that joins the current Spring transaction, if any. Give it back with {@link #release}. */
	Connection shared() throws SQLException {
		return SPRING_JDBC_PRESENT ? SpringConnections.get(this.dataSource) : this.dataSource.getConnection();
	}

	/** Whether a connection from {@link #shared()} belongs to a transaction that someone else commits. */
	boolean isExternallyManaged(Connection connection) {
		return SPRING_JDBC_PRESENT && SpringConnections.isTransactional(connection, this.dataSource);
	}

	/** Whether the calling thread is in a Spring transaction (whatever its data source). */
	boolean isTransactionActive() {
		return SPRING_JDBC_PRESENT && SpringConnections.isTransactionActive();
	}

	void release(Connection connection) throws SQLException {
		if (SPRING_JDBC_PRESENT) {
			SpringConnections.release(connection, this.dataSource);
		}
		else {
			connection.close();
		}
	}

	/** A connection of its own, outside any Spring transaction: close it. */
	Connection own() throws SQLException {
		return this.dataSource.getConnection();
	}

	/**
	 * Runs work in a transaction: its own on a connection of its own making, or the caller's Spring
	 * transaction when there is one (which then commits or rolls back everything).
	 */
	<T> T inTransaction(SqlWork<T> work) throws SQLException {
		Connection connection = shared();
		try {
			if (isExternallyManaged(connection)) {
				return work.run(connection);
			}
			return inOwnTransaction(connection, work);
		}
		finally {
			release(connection);
		}
	}

	static <T> T inOwnTransaction(Connection connection, SqlWork<T> work) throws SQLException {
		boolean autoCommit = connection.getAutoCommit();
		if (autoCommit) {
			connection.setAutoCommit(false);
		}
		try {
			T result = work.run(connection);
			connection.commit();
			return result;
		}
		catch (SQLException | RuntimeException | Error ex) {
			try {
				connection.rollback();
			}
			catch (SQLException rollbackFailure) {
				ex.addSuppressed(rollbackFailure);
			}
			throw ex;
		}
		finally {
			if (autoCommit) {
				connection.setAutoCommit(true);
			}
		}
	}

	private static boolean isPresent(String className) {
		try {
			Class.forName(className, false, Connections.class.getClassLoader());
			return true;
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return false;
		}
	}

	/** Work on a connection. */
	@FunctionalInterface
	interface SqlWork<T> {

		T run(Connection connection) throws SQLException;

	}

}
