package io.ergate.autoconfigure.jdbc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Locale;

import javax.sql.DataSource;

import io.ergate.jdbc.JdbcOptions;
import io.ergate.jdbc.JdbcSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;

/**
 * Creates the Ergate JDBC tables at startup according to {@code ergate.jdbc.initialize-schema}. The
 * auto-configured queue and store depend on it, so the tables exist before a worker takes a job.
 */
public class ErgateJdbcSchemaInitializer implements InitializingBean {

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

	/**
	 * Creates the tables that are missing, if the mode says so.
	 * @return whether the schema script ran
	 */
	public boolean initialize() {
		if (this.mode == ErgateJdbcProperties.InitializeSchema.NEVER
				|| (this.mode == ErgateJdbcProperties.InitializeSchema.EMBEDDED && !isEmbedded(this.dataSource))) {
			return false;
		}
		JdbcSchema.initialize(this.dataSource, this.options);
		logger.debug("Initialized the Ergate JDBC schema (tables {}queue, {}job, {}dead_letter)",
				this.options.tablePrefix(), this.options.tablePrefix(), this.options.tablePrefix());
		return true;
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
