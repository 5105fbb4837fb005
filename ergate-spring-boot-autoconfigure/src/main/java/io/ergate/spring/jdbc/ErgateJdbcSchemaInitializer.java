package io.ergate.spring.jdbc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

import javax.sql.DataSource;

import io.ergate.autoconfigure.jdbc.ErgateJdbcProperties;
import io.ergate.jdbc.ErgateJdbcException;
import io.ergate.jdbc.JdbcDialect;
import io.ergate.jdbc.JdbcOptions;
import io.ergate.jdbc.JdbcSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Creates the Ergate JDBC tables at startup according to {@code ergate.jdbc.initialize-schema}, and
 * checks that they exist once every singleton is created (after Flyway or Liquibase migrated the
 * database, when the application has them). The auto-configured queue and store depend on it, so the
 * tables exist before a worker takes a job; a table still missing fails the startup with a message
 * naming the property and the creation scripts.
 */
public class ErgateJdbcSchemaInitializer implements InitializingBean, SmartInitializingSingleton {

	private static final Logger logger = LoggerFactory.getLogger(ErgateJdbcSchemaInitializer.class);

	private final DataSource dataSource;

	private final JdbcOptions options;

	private final ErgateJdbcProperties.InitializeSchema mode;

	/**
	 * Creates an initializer.
	 * @param dataSource the database
	 * @param options the table prefix and dialect
	 * @param mode when to create the tables
	 */
	public ErgateJdbcSchemaInitializer(DataSource dataSource, JdbcOptions options,
			ErgateJdbcProperties.InitializeSchema mode) {
		this.dataSource = dataSource;
		this.options = options;
		this.mode = mode;
	}

	@Override
	public void afterPropertiesSet() {
		initialize();
	}

	@Override
	public void afterSingletonsInstantiated() {
		verify();
	}

	/**
	 * Creates the tables that are missing, if the mode says so: with {@code always}, when one of them
	 * is missing (a database whose tables exist sees no DDL); with {@code embedded}, on an embedded
	 * database.
	 * @return whether the schema script ran
	 * @throws IllegalStateException when the script fails, saying how to create the tables otherwise
	 */
	public boolean initialize() {
		boolean run = switch (this.mode) {
			case NEVER -> false;
			case EMBEDDED -> isEmbedded(this.dataSource);
			case ALWAYS -> !JdbcSchema.missingTables(this.dataSource, this.options).isEmpty();
		};
		if (!run) {
			return false;
		}
		try {
			JdbcSchema.initialize(this.dataSource, this.options);
		}
		catch (ErgateJdbcException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			throw new MissingSchemaException("Creating the Ergate tables (" + String.join(", ", tables())
					+ ") failed: " + ex.getMessage() + ": " + cause.getMessage(),
					"give the database user the right to create tables, or create them yourself with the script "
							+ scriptLocation() + " from the ergate-jdbc jar (JdbcSchema.script(dialect, prefix) applies "
							+ "another table prefix) and set ergate.jdbc.initialize-schema=never",
					ex);
		}
		logger.info("Created the Ergate JDBC tables that were missing ({})", String.join(", ", tables()));
		return true;
	}

	/**
	 * Checks that the tables exist.
	 * @throws IllegalStateException naming the missing tables, the setting and the scripts
	 */
	void verify() {
		List<String> missing = JdbcSchema.missingTables(this.dataSource, this.options);
		if (missing.isEmpty()) {
			return;
		}
		String fix = (this.mode == ErgateJdbcProperties.InitializeSchema.NEVER)
				? "remove ergate.jdbc.initialize-schema=never (or set it to always) to have Ergate create them at startup"
				: "set ergate.jdbc.initialize-schema=always to have Ergate create them at startup";
		throw new MissingSchemaException("The Ergate table" + ((missing.size() > 1) ? "s " : " ")
				+ String.join(", ", missing) + ((missing.size() > 1) ? " do" : " does") + " not exist in the database "
				+ url() + ", and ergate.jdbc.initialize-schema is " + this.mode.name().toLowerCase(Locale.ROOT),
				fix + ", or create them with the script " + scriptLocation()
						+ " from the ergate-jdbc jar (for example in a Flyway or Liquibase migration)",
				null);
	}

	private List<String> tables() {
		String prefix = this.options.tablePrefix();
		return List.of(prefix + "queue", prefix + "job", prefix + "dead_letter");
	}

	private String scriptLocation() {
		try {
			JdbcDialect dialect = (this.options.dialect() != null) ? this.options.dialect()
					: JdbcDialect.detect(this.dataSource);
			return dialect.schemaLocation();
		}
		catch (RuntimeException ex) {
			return "io/ergate/jdbc/schema-<database>.sql";
		}
	}

	private String url() {
		try (Connection connection = this.dataSource.getConnection()) {
			String url = String.valueOf(connection.getMetaData().getURL());
			int parameters = url.indexOf('?');
			return (parameters < 0) ? url : url.substring(0, parameters);   // no credentials in messages
		}
		catch (SQLException ex) {
			return "(unknown URL)";
		}
	}

	/** An in-memory H2, HSQLDB or Derby database: the ones Spring Boot calls embedded. */
	static boolean isEmbedded(DataSource dataSource) {
		try (Connection connection = dataSource.getConnection()) {
			DatabaseMetaData metaData = connection.getMetaData();
			String product = metaData.getDatabaseProductName().toLowerCase(Locale.ROOT);
			String url = String.valueOf(metaData.getURL()).toLowerCase(Locale.ROOT);
			boolean embeddedProduct = product.contains("h2") || product.contains("hsql") || product.contains("derby");
			return embeddedProduct && (url.contains(":mem:") || url.startsWith("jdbc:derby:memory:"));
		}
		catch (SQLException ex) {
			logger.warn("Cannot tell whether the DataSource is embedded; not initializing the Ergate schema", ex);
			return false;
		}
	}

}
