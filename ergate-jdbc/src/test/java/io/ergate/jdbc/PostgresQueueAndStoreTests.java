package io.ergate.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;
import io.ergate.Job;
import io.ergate.JobStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

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

	@Test
	void runningMarkIsWrittenLateAndNeverOverANewerState() throws Exception {
		JdbcStateStore store = store();
		Job queued = Job.builder("w").id("r1").stepName("s1").build();
		store.update(queued);
		// a short step: its RUNNING mark is replaced by the next state (same steps_completed, which
		// the upsert's guard alone would not protect) before it is written, and never lands after it
		store.update(queued.toBuilder().status(JobStatus.RUNNING).build());
		Job failed = queued.toBuilder().status(JobStatus.FAILED).exceptionTraceback("boom").build();
		store.update(failed);
		Thread.sleep(this.options.runningStateDelay().toMillis() * 5);
		assertThat(statusInDatabase("r1")).isEqualTo("FAILED");
		assertThat(store.findById("r1")).contains(failed);
		// a long step: its RUNNING mark reaches the database, for other processes to see
		Job other = Job.builder("w").id("r2").stepName("s1").build();
		store.update(other);
		store.update(other.toBuilder().status(JobStatus.RUNNING).build());
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while (!"RUNNING".equals(statusInDatabase("r2")) && System.nanoTime() < deadline) {
			Thread.sleep(5);
		}
		assertThat(statusInDatabase("r2")).isEqualTo("RUNNING");
		// a read through the store sees its own pending mark at once
		Job third = Job.builder("w").id("r3").stepName("s1").build();
		store.update(third);
		store.update(third.toBuilder().status(JobStatus.RUNNING).build());
		assertThat(store.findById("r3").map(Job::status)).contains(JobStatus.RUNNING);
	}

	@Test
	void withNoRunningStateDelayEveryRunningMarkIsWrittenAtOnce() throws Exception {
		JdbcStateStore store = new JdbcStateStore(this.dataSource,
				this.options.toBuilder().runningStateDelay(Duration.ZERO).build());
		Job queued = Job.builder("w").id("r4").stepName("s1").build();
		store.update(queued);
		store.update(queued.toBuilder().status(JobStatus.RUNNING).build());
		assertThat(statusInDatabase("r4")).isEqualTo("RUNNING");
	}

	private String statusInDatabase(String key) throws SQLException {
		try (Connection connection = this.dataSource.getConnection();
				PreparedStatement statement = connection
					.prepareStatement("SELECT status FROM " + this.options.table("job") + " WHERE job_key = ?")) {
			statement.setString(1, key);
			try (ResultSet result = statement.executeQuery()) {
				return result.next() ? result.getString(1) : null;
			}
		}
	}

}
