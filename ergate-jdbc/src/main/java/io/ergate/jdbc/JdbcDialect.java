package io.ergate.jdbc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

/**
 * The databases the JDBC queue and store support, and the few SQL differences between them. Each
 * supports {@code SELECT ... FOR UPDATE SKIP LOCKED}.
 */
public enum JdbcDialect {

	/** PostgreSQL 9.5 or newer: {@code jsonb} payloads, {@code LISTEN/NOTIFY} wake-ups. */
	POSTGRESQL("postgresql"),

	/** H2 2.x, for tests and embedded use. */
	H2("h2"),

	/** MariaDB 10.6 or newer and MySQL 8.0 or newer, on InnoDB. */
	MARIADB("mariadb");

	private final String scriptName;

	JdbcDialect(String scriptName) {
		this.scriptName = scriptName;
	}

	/**
	 * Returns the class-path location of this database's schema script, whose tables carry the
	 * default prefix {@code ergate_}.
	 * @return a resource path such as {@code io/ergate/jdbc/schema-postgresql.sql}
	 */
	public String schemaLocation() {
		return "io/ergate/jdbc/schema-" + this.scriptName + ".sql";
	}

	/**
	 * Tells whether this database can wake idle workers with {@code LISTEN/NOTIFY}.
	 * @return {@code true} for PostgreSQL
	 */
	public boolean supportsListenNotify() {
		return this == POSTGRESQL;
	}

	/**
	 * Finds the dialect of the database behind a data source, from its product name.
	 * @param dataSource the data source
	 * @return the dialect
	 * @throws IllegalArgumentException when the database is not supported
	 * @throws ErgateJdbcException when no connection can be had
	 */
	public static JdbcDialect detect(DataSource dataSource) {
		try (Connection connection = dataSource.getConnection()) {
			return of(connection.getMetaData());
		}
		catch (SQLException ex) {
			throw new ErgateJdbcException("Cannot connect to detect the database dialect", ex);
		}
	}

	static JdbcDialect of(DatabaseMetaData metaData) throws SQLException {
		String product = metaData.getDatabaseProductName().toLowerCase(Locale.ROOT);
		if (product.contains("postgres")) {
			return POSTGRESQL;
		}
		if (product.contains("h2")) {
			return H2;
		}
		if (product.contains("mariadb") || product.contains("mysql")) {
			return MARIADB;
		}
		throw new IllegalArgumentException("Database \"" + metaData.getDatabaseProductName()
				+ "\" is not supported by ergate-jdbc (supported: PostgreSQL, H2, MariaDB 10.6+, MySQL 8+); "
				+ "set the dialect explicitly if it is compatible with one of them");
	}

	/**
	 * PostgreSQL: the head of a single auto-committed statement ({@code NO_FLUSH_WAIT + " UPDATE ... FROM
	 * c ..."}) that commits without waiting for the WAL flush, in the same round trip; see
	 * {@link #relaxCommit} for what may be written so.
	 */
	static final String NO_FLUSH_WAIT = "WITH c AS (SELECT set_config('synchronous_commit', 'off', true) AS x)";

	/**
	 * In a transaction of its own, makes its commit return without waiting for the WAL flush
	 * (PostgreSQL's {@code synchronous_commit = off} for this transaction only). Used for writes whose
	 * loss in a database crash only makes a step run again: claims, lease extensions, releases and
	 * RUNNING marks. Never for the hand-over after a step.
	 */
	void relaxCommit(Connection connection) throws SQLException {
		// in a transaction of several statements; a single statement uses NO_FLUSH_WAIT instead
		if (this == POSTGRESQL) {
			try (java.sql.Statement statement = connection.createStatement()) {
				statement.execute("SET LOCAL synchronous_commit TO OFF");
			}
		}
	}

	// --- what differs per database, decided here only

	/**
	 * Whether a claim is one auto-committed {@code UPDATE ... RETURNING} (PostgreSQL) rather than a
	 * {@code SELECT ... FOR UPDATE SKIP LOCKED} and an update in one transaction.
	 */
	boolean claimsInOneStatement() {
		return this == POSTGRESQL;
	}

	/** Whether claims run in READ COMMITTED, so that InnoDB takes no gap locks (MariaDB, MySQL). */
	boolean claimsReadCommitted() {
		return this == MARIADB;
	}

	/**
	 * Whether a step's hand-over (delete the claimed row, upsert the state, insert the successor) is
	 * one statement (PostgreSQL's data-modifying {@code WITH}), atomic even in auto-commit. Only then
	 * are hand-overs grouped and RUNNING marks deferred, both being cheap to catch up with there.
	 */
	boolean handsOverInOneStatement() {
		return this == POSTGRESQL;
	}

	/** The placeholder for a JSON parameter. */
	String jsonParameter() {
		return (this == POSTGRESQL) ? "CAST(? AS JSONB)" : "?";
	}

	void setInstant(PreparedStatement statement, int index, @Nullable Instant instant) throws SQLException {
		if (instant == null) {
			statement.setObject(index, null);
		}
		else if (this == MARIADB) {
			statement.setObject(index, LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
		}
		else {
			statement.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
		}
	}

	@Nullable Instant getInstant(ResultSet resultSet, String column) throws SQLException {
		if (this == MARIADB) {
			LocalDateTime time = resultSet.getObject(column, LocalDateTime.class);
			return (time != null) ? time.toInstant(ZoneOffset.UTC) : null;
		}
		OffsetDateTime time = resultSet.getObject(column, OffsetDateTime.class);
		return (time != null) ? time.toInstant() : null;
	}

}
