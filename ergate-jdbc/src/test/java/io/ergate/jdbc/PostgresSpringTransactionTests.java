package io.ergate.jdbc;

import java.sql.SQLException;

import com.zaxxer.hikari.HikariDataSource;
import io.ergate.Job;
import io.ergate.JobStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With spring-jdbc on the class path, puts and state writes join the caller's Spring transaction:
 * a job submitted in a transaction that rolls back is neither queued nor recorded.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresSpringTransactionTests {

	private HikariDataSource dataSource;

	private JdbcOptions options;

	private TransactionTemplate transactions;

	@BeforeAll
	void createTables() {
		this.dataSource = TestDatabases.postgresPool(4);
		this.options = JdbcOptions.builder().tablePrefix(TestDatabases.uniquePrefix("tx")).build();
		JdbcSchema.initialize(this.dataSource, this.options);
		this.transactions = new TransactionTemplate(new DataSourceTransactionManager(this.dataSource));
	}

	@AfterAll
	void dropTables() {
		JdbcSchema.drop(this.dataSource, this.options);
		this.dataSource.close();
	}

	@BeforeEach
	void empty() throws SQLException {
		try (var connection = this.dataSource.getConnection(); var statement = connection.createStatement()) {
			statement.execute("DELETE FROM " + this.options.table("queue"));
			statement.execute("DELETE FROM " + this.options.table("job"));
		}
	}

	@Test
	void aRolledBackTransactionQueuesAndRecordsNothing() throws Exception {
		try (JdbcJobQueue queue = new JdbcJobQueue(this.dataSource, this.options)) {
			JdbcStateStore store = new JdbcStateStore(this.dataSource, this.options);
			this.transactions.executeWithoutResult((status) -> {
				Job job = Job.builder("w").id("rolled-back").build();
				store.update(job);
				queue.put(job);
				status.setRollbackOnly();
			});
			assertThat(queueRows()).isZero();
			assertThat(store.findById("rolled-back")).isEmpty();
		}
	}

	@Test
	void aCommittedTransactionQueuesAndRecordsTheJob() throws Exception {
		try (JdbcJobQueue queue = new JdbcJobQueue(this.dataSource, this.options)) {
			JdbcStateStore store = new JdbcStateStore(this.dataSource, this.options);
			this.transactions.executeWithoutResult((status) -> {
				Job job = Job.builder("w").id("committed").build();
				store.update(job);
				queue.put(job);
				// not visible outside the transaction before it commits
				assertThat(Drain.count(this.dataSource, "SELECT COUNT(*) FROM " + this.options.table("queue")))
					.isZero();
			});
			assertThat(queueRows()).isEqualTo(1);
			assertThat(store.findById("committed").orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
			assertThat(queue.take().job().id()).isEqualTo("committed");
		}
	}

	private long queueRows() throws SQLException {
		return Drain.count(this.dataSource, "SELECT COUNT(*) FROM " + this.options.table("queue"));
	}

}
