package io.ergate.jdbc;

import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;

/** The contract on H2 in memory. */
class H2QueueAndStoreTests extends QueueAndStoreContractTests {

	@Override
	HikariDataSource createDataSource() {
		return TestDatabases.h2Pool(12);
	}

	@Override
	String name() {
		return "h2";
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
