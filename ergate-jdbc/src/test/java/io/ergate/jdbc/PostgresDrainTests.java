package io.ergate.jdbc;

import java.time.Duration;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * 4 workers in 2 independent engines (each with its own connection pool, queue and store) drain
 * 5,000 jobs of a five-step workflow on the real PostgreSQL: every job COMPLETED, every step run
 * exactly once, no row left.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresDrainTests {

	private HikariDataSource first;

	private HikariDataSource second;

	private JdbcOptions options;

	@BeforeAll
	void createTables() {
		this.first = TestDatabases.postgresPool(6);
		this.second = TestDatabases.postgresPool(6);
		this.options = JdbcOptions.builder().tablePrefix(TestDatabases.uniquePrefix("drain")).build();
		JdbcSchema.initialize(this.first, this.options);
	}

	@AfterAll
	void dropTables() {
		JdbcSchema.drop(this.first, this.options);
		this.first.close();
		this.second.close();
	}

	@Test
	void fourWorkersInTwoEnginesDrainFiveThousandJobsOfFiveSteps() throws Exception {
		Drain.DrainResult result = Drain.run(List.of(this.first, this.second), this.options, 5000, 2);
		System.out.printf("[pg] drained %s%n", result);
		result.assertComplete();
		System.out.printf("[pg] claim batch %d, lease %s%n", this.options.claimBatchSize(),
				Duration.ofMillis(this.options.leaseDuration().toMillis()));
	}

}
