package io.ergate.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import com.zaxxer.hikari.HikariDataSource;
import io.ergate.memory.InMemoryStateStore;
import io.ergate.Job;
import io.ergate.JobQueue;
import io.ergate.QueryableStateStore;
import io.ergate.contract.FailureHandlingContract;
import io.ergate.contract.JobQueueContract;
import io.ergate.contract.QueueBackend;
import org.junit.jupiter.api.Nested;
import tools.jackson.databind.json.JsonMapper;

/**
 * The shared queue and failure-handling contracts on the JDBC queue: PostgreSQL, H2 and MariaDB with
 * the JDBC store on the same database (hand-overs in one transaction), and PostgreSQL with a store
 * elsewhere (fenced hand-overs).
 */
class JdbcQueueContractTests {

	@Nested
	class OnPostgres extends JobQueueContract {

		@Override
		protected QueueBackend createBackend() {
			return new JdbcBackend(TestDatabases.postgresPool(6), "pgc", false);
		}

	}

	@Nested
	class OnPostgresWithAStoreElsewhere extends JobQueueContract {

		@Override
		protected QueueBackend createBackend() {
			return new JdbcBackend(TestDatabases.postgresPool(6), "pgm", true);
		}

	}

	@Nested
	class OnH2 extends JobQueueContract {

		@Override
		protected QueueBackend createBackend() {
			return new JdbcBackend(TestDatabases.h2Pool(6), "h2c", false);
		}

	}

	@Nested
	class OnMariaDb extends JobQueueContract {

		@Override
		protected QueueBackend createBackend() {
			return new JdbcBackend(TestDatabases.mariadbPool(6), "mdc", false);
		}

	}

	@Nested
	class FailuresOnPostgres extends FailureHandlingContract {

		@Override
		protected QueueBackend createBackend() {
			return new JdbcBackend(TestDatabases.postgresPool(6), "pgf", false);
		}

	}

	@Nested
	class FailuresOnPostgresWithAStoreElsewhere extends FailureHandlingContract {

		@Override
		protected QueueBackend createBackend() {
			return new JdbcBackend(TestDatabases.postgresPool(6), "pgfm", true);
		}

	}

	@Nested
	class FailuresOnH2 extends FailureHandlingContract {

		@Override
		protected QueueBackend createBackend() {
			return new JdbcBackend(TestDatabases.h2Pool(6), "h2f", false);
		}

	}

	@Nested
	class FailuresOnMariaDb extends FailureHandlingContract {

		@Override
		protected QueueBackend createBackend() {
			return new JdbcBackend(TestDatabases.mariadbPool(6), "mdf", false);
		}

	}

	/** Tables of their own on one database, a queue, and a store there or in memory. */
	static final class JdbcBackend implements QueueBackend {

		private final HikariDataSource dataSource;

		private final JdbcOptions options;

		private final JdbcJobQueue queue;

		private final QueryableStateStore store;

		JdbcBackend(HikariDataSource dataSource, String name, boolean storeInMemory) {
			this.dataSource = dataSource;
			this.options = JdbcOptions.builder().tablePrefix(TestDatabases.uniquePrefix(name)).build();
			JdbcSchema.initialize(dataSource, this.options);
			this.queue = new JdbcJobQueue(dataSource, this.options);
			this.store = storeInMemory ? new InMemoryStateStore() : new JdbcStateStore(dataSource, this.options);
		}

		@Override
		public JobQueue queue() {
			return this.queue;
		}

		@Override
		public QueryableStateStore store() {
			return this.store;
		}

		@Override
		public void putRaw(String payload) {
			try (Connection connection = this.dataSource.getConnection();
					PreparedStatement statement = connection.prepareStatement("INSERT INTO "
							+ this.options.table("queue") + " (payload) VALUES ("
							+ JdbcDialect.of(connection.getMetaData()).jsonParameter() + ")")) {
				statement.setString(1, payload);
				statement.executeUpdate();
			}
			catch (SQLException ex) {
				throw new IllegalStateException(ex);
			}
		}

		@Override
		public List<String> deadLetterReasons() {
			List<String> reasons = new ArrayList<>();
			try (Connection connection = this.dataSource.getConnection();
					PreparedStatement statement = connection
						.prepareStatement("SELECT error FROM " + this.options.table("dead_letter") + " ORDER BY id");
					ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					reasons.add(rows.getString(1));
				}
			}
			catch (SQLException ex) {
				throw new IllegalStateException(ex);
			}
			return reasons;
		}

		/** Claims the first row as another process would, with a lease that ends soon, and never settles it. */
		@Override
		public Job takeAndDie(Consumer<Job> beforeDying) throws SQLException {
			String table = this.options.table("queue");
			try (Connection connection = this.dataSource.getConnection()) {
				long id;
				String payload;
				try (PreparedStatement statement = connection
					.prepareStatement("SELECT id, payload FROM " + table + " ORDER BY ready_at, id");
						ResultSet rows = statement.executeQuery()) {
					if (!rows.next()) {
						throw new IllegalStateException("nothing to take in " + table);
					}
					id = rows.getLong(1);
					payload = rows.getString(2);
				}
				try (PreparedStatement statement = connection.prepareStatement("UPDATE " + table
						+ " SET claimed_by = 'dead-worker', lease_until = ?, delivery_count = delivery_count + 1 "
						+ "WHERE id = ?")) {
					statement.setLong(1, System.currentTimeMillis() + 300);
					statement.setLong(2, id);
					statement.executeUpdate();
				}
				Job job = JsonMapper.shared().readValue(payload, Job.class);
				beforeDying.accept(job);
				return job;
			}
		}

		@Override
		public void close() {
			this.queue.close();
			JdbcSchema.drop(this.dataSource, this.options);
			this.dataSource.close();
		}

	}

}
