package io.ergate.jdbc;

import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;

/** The contract against the real MariaDB. */
class MariaDbQueueAndStoreTests extends QueueAndStoreContractTests {

	@Override
	HikariDataSource createDataSource() {
		return TestDatabases.mariadbPool(12);
	}

	@Override
	String name() {
		return "maria";
	}

	@Override
	Duration crossProcessWakeBound() {
		// the poll interval
		return Duration.ofMillis(500 + 200);
	}

	@Override
	Duration crossProcessPollInterval() {
		return Duration.ofMillis(500);
	}

}
