package io.ergate.jdbc;

import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;

/** The contract against the real PostgreSQL. */
class PostgresQueueAndStoreTests extends QueueAndStoreContractTests {

	@Override
	HikariDataSource createDataSource() {
		return TestDatabases.postgresPool(12);
	}

	@Override
	String name() {
		return "pg";
	}

	@Override
	Duration crossProcessWakeBound() {
		return Duration.ofMillis(100); // LISTEN/NOTIFY: no poll interval involved
	}

}
