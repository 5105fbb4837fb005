package io.ergate.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The real databases the tests run against. PostgreSQL: the local service (override with the
 * environment variables ERGATE_TEST_POSTGRES_URL, _USER, _PASSWORD), else a Testcontainers container
 * when Docker is available, else the test fails saying how to provide one. MariaDB: the local
 * service (ERGATE_TEST_MARIADB_URL). H2: in memory.
 */
final class TestDatabases {

	private static volatile String[] postgres;

	private TestDatabases() {
	}

	/** A table prefix of its own, so that test classes running at once do not collide. */
	static String uniquePrefix(String name) {
		return "t_" + name + "_" + UUID.randomUUID().toString().substring(0, 6) + "_";
	}

	/** URL, user and password of a reachable PostgreSQL. */
	static synchronized String[] postgres() {
		if (postgres != null) {
			return postgres;
		}
		String url = env("ERGATE_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
		String user = env("ERGATE_TEST_POSTGRES_USER", "postgres");
		String password = env("ERGATE_TEST_POSTGRES_PASSWORD", "");
		SQLException failure;
		try (Connection connection = DriverManager.getConnection(url, user, password)) {
			connection.isValid(1);
			postgres = new String[] { url, user, password };
			return postgres;
		}
		catch (SQLException ex) {
			failure = ex;
		}
		if (dockerAvailable()) {
			postgres = Containers.startPostgres();
			return postgres;
		}
		throw new IllegalStateException("These tests need a real PostgreSQL, and none answered at " + url + " ("
				+ failure.getMessage() + ") while Docker is not available for a Testcontainers container. "
				+ "Start the local service (pg_ctlcluster <version> main start, trust auth for user postgres, "
				+ "database test), or point ERGATE_TEST_POSTGRES_URL/_USER/_PASSWORD at one, or make Docker available.",
				failure);
	}

	static HikariDataSource postgresPool(int size) {
		String[] pg = postgres();
		return pool(pg[0], pg[1], pg[2], size);
	}

	static HikariDataSource mariadbPool(int size) {
		String url = env("ERGATE_TEST_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/test");
		String user = env("ERGATE_TEST_MARIADB_USER", "root");
		String password = env("ERGATE_TEST_MARIADB_PASSWORD", "");
		try (Connection connection = DriverManager.getConnection(url, user, password)) {
			connection.isValid(1);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("These tests need a real MariaDB 10.6+ (or MySQL 8), and none answered at "
					+ url + " (" + ex.getMessage() + "). Start the local service (user root, no password, "
					+ "database test) or point ERGATE_TEST_MARIADB_URL/_USER/_PASSWORD at one.", ex);
		}
		return pool(url, user, password, size);
	}

	static HikariDataSource h2Pool(int size) {
		return pool("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "", size);
	}

	static HikariDataSource pool(String url, String user, String password, int size) {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(url);
		config.setUsername(user);
		config.setPassword(password);
		config.setMaximumPoolSize(size);
		config.setMinimumIdle(1);
		config.setPoolName("ergate-test");
		return new HikariDataSource(config);
	}

	private static boolean dockerAvailable() {
		try {
			Class.forName("org.testcontainers.DockerClientFactory");
			return Containers.dockerAvailable();
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return false;
		}
	}

	private static String env(String name, String fallback) {
		String value = System.getenv(name);
		return (value != null && !value.isBlank()) ? value : fallback;
	}

	/** The Testcontainers calls, loaded only when needed. */
	private static final class Containers {

		static boolean dockerAvailable() {
			try {
				return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
			}
			catch (RuntimeException ex) {
				return false;
			}
		}

		@SuppressWarnings("resource")
		static String[] startPostgres() {
			org.testcontainers.postgresql.PostgreSQLContainer container = new org.testcontainers.postgresql.PostgreSQLContainer(
					"postgres:16-alpine");
			container.start();
			Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
			return new String[] { container.getJdbcUrl(), container.getUsername(), container.getPassword() };
		}

	}

}
