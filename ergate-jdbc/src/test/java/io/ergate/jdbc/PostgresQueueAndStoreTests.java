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
		// LISTEN/NOTIFY: no poll wakes it this soon (5 s poll interval); a few ms when the machine is
		// idle, the rest is slack for a loaded one
		return Duration.ofMillis(300);
	}

	@Override
	Duration crossProcessPollInterval() {
		return Duration.ofSeconds(5);
	}

}
