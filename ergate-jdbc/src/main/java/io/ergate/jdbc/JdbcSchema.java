package io.ergate.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;


/**
 * The tables of the JDBC queue and store: their creation script per database, with the table
 * prefix applied. The scripts use {@code CREATE ... IF NOT EXISTS}, so initializing an existing
 * schema changes nothing. Teams that manage their schema with Flyway or Liquibase copy
 * {@link #script(JdbcDialect, String)} into a migration instead.
 */
public final class JdbcSchema {

	private JdbcSchema() {
	}

	/**
	 * Returns the creation script of a database with the given table prefix.
	 * @param dialect the database
	 * @param tablePrefix the table prefix, validated as an identifier
	 * @return the script: statements separated by semicolons, with comments
	 */
	public static String script(JdbcDialect dialect, String tablePrefix) {
		JdbcOptions.validateTablePrefix(tablePrefix);
		String location = dialect.schemaLocation();
		try (InputStream in = JdbcSchema.class.getClassLoader().getResourceAsStream(location)) {
			if (in == null) {
				throw new IllegalStateException("Schema script " + location + " is missing from the class path");
			}
			String script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			return script.replace(JdbcOptions.DEFAULT_TABLE_PREFIX, tablePrefix);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot read schema script " + location, ex);
		}
	}

	/**
	 * Creates the tables that do not exist yet, for the dialect and table prefix of the options (the
	 * dialect detected when the options name none).
	 * @param dataSource the database
	 * @param options the settings
	 * @throws ErgateJdbcException when a statement fails
	 */
	public static void initialize(DataSource dataSource, JdbcOptions options) {
		JdbcDialect dialect = (options.dialect() != null) ? options.dialect() : JdbcDialect.detect(dataSource);
		execute(dataSource, statements(script(dialect, options.tablePrefix())), false);
	}

	/**
	 * Returns the tables of the queue and store that the database does not have: those a
	 * {@code SELECT} cannot read, on the connections' default schema.
	 * @param dataSource the database
	 * @param options the table prefix
	 * @return the missing tables' names, in the order queue, job, dead letter (and job history, when
	 * {@link JdbcOptions#historyEnabled()}); empty when all exist
	 * @throws ErgateJdbcException when no connection can be obtained
	 */
	public static List<String> missingTables(DataSource dataSource, JdbcOptions options) {
		List<String> missing = new ArrayList<>();
		try (Connection connection = dataSource.getConnection()) {
			if (!connection.getAutoCommit()) {
				connection.setAutoCommit(true);
			}
			List<String> names = new ArrayList<>(List.of("queue", "job", "dead_letter"));
			if (options.historyEnabled()) {
				names.add("job_history");
			}
			for (String name : names) {
				String table = options.table(name);
				try (Statement statement = connection.createStatement()) {
					statement.executeQuery("SELECT 1 FROM " + table + " WHERE 1 = 0").close();
				}
				catch (SQLException ex) {
					missing.add(table);
				}
			}
		}
		catch (SQLException ex) {
			throw new ErgateJdbcException("Cannot connect to look for the Ergate tables", ex);
		}
		return missing;
	}

	/** Drops the tables: for tests. */
	static void drop(DataSource dataSource, JdbcOptions options) {
		List<String> statements = new ArrayList<>();
		for (String table : new String[] { "queue", "dead_letter", "job", "job_history" }) {
			statements.add("DROP TABLE IF EXISTS " + options.table(table));
		}
		execute(dataSource, statements, true);
	}

	static List<String> statements(String script) {
		StringBuilder sql = new StringBuilder();
		for (String line : script.split("\n")) {
			String trimmed = line.trim();
			if (!trimmed.startsWith("--")) {
				sql.append(line).append('\n');
			}
		}
		List<String> statements = new ArrayList<>();
		for (String statement : sql.toString().split(";")) {
			if (!statement.isBlank()) {
				statements.add(statement.trim());
			}
		}
		return statements;
	}

	private static void execute(DataSource dataSource, List<String> statements, boolean ignoreFailures) {
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			if (!connection.getAutoCommit()) {
				connection.setAutoCommit(true);
			}
			for (String sql : statements) {
				try {
					statement.execute(sql);
				}
				catch (SQLException ex) {
					if (!ignoreFailures) {
						throw new ErgateJdbcException("Creating the Ergate schema failed on: " + sql, ex);
					}
				}
			}
		}
		catch (SQLException ex) {
			throw new ErgateJdbcException("Cannot connect to create the Ergate schema", ex);
		}
	}


}
