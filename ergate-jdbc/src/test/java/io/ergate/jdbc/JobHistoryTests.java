package io.ergate.jdbc;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import com.zaxxer.hikari.HikariDataSource;
import io.ergate.Ergate;
import io.ergate.Job;
import io.ergate.JobStatus;
import io.ergate.JobTransition;
import io.ergate.Workflow;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link JdbcStateStore} as a {@link io.ergate.JobHistory} on H2, PostgreSQL and MariaDB: off by
 * default; when on, every state of a job written with it (through the queue's hand-overs too), read
 * back oldest first, deleted with its job and after the retention.
 */
class JobHistoryTests {

	static Stream<Arguments> databases() {
		return Stream.of(Arguments.of("h2", (Supplier<HikariDataSource>) () -> TestDatabases.h2Pool(4)),
				Arguments.of("postgresql", (Supplier<HikariDataSource>) () -> TestDatabases.postgresPool(4)),
				Arguments.of("mariadb", (Supplier<HikariDataSource>) () -> TestDatabases.mariadbPool(4)));
	}

	private static Workflow twoSteps() {
		return Workflow.builder("two_steps")
			.step("first", Integer.class, (in) -> in + 1)
			.step("second", Integer.class, (in) -> in * 2)
			.build();
	}

	private static Object runOneJob(HikariDataSource dataSource, JdbcOptions options, JdbcStateStore store) {
		try (JdbcJobQueue queue = new JdbcJobQueue(dataSource, options);
				Ergate ergate = new Ergate(queue, store)) {
			ergate.registerWorkflow(twoSteps());
			Object id = ergate.submit("two_steps", 1, null).id();
			ergate.start(1);
			await().atMost(Duration.ofSeconds(20))
				.until(() -> store.findById(id).map(Job::status).orElse(null) == JobStatus.COMPLETED);
			ergate.stop(Duration.ofSeconds(5));
			return id;
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("databases")
	void everyStateOfAJobIsKeptWhenEnabled(String name, Supplier<HikariDataSource> pool) {
		try (HikariDataSource dataSource = pool.get()) {
			JdbcOptions options = JdbcOptions.builder()
				.tablePrefix(TestDatabases.uniquePrefix("hist_" + name))
				.history(Duration.ofDays(7))
				.build();
			JdbcSchema.initialize(dataSource, options);
			try {
				assertThat(JdbcSchema.missingTables(dataSource, options)).isEmpty();
				JdbcStateStore store = new JdbcStateStore(dataSource, options);
				Object id = runOneJob(dataSource, options, store);
				List<JobTransition> history = store.history(id);
				assertThat(history).first().satisfies((first) -> {
					assertThat(first.status()).isEqualTo(JobStatus.QUEUED);
					assertThat(first.stepsCompleted()).isZero();
				});
				assertThat(history).last().satisfies((last) -> {
					assertThat(last.status()).isEqualTo(JobStatus.COMPLETED);
					assertThat(last.stepsCompleted()).isEqualTo(2);
					assertThat(last.percentCompleted()).isEqualTo(100.0);
				});
				assertThat(history).extracting(JobTransition::stepsCompleted).isSorted();
				assertThat(history).extracting(JobTransition::time).isSorted();
				assertThat(history).anySatisfy((transition) -> {
					assertThat(transition.status()).isEqualTo(JobStatus.QUEUED);
					assertThat(transition.stepName()).isEqualTo("second");
				});
				assertThat(store.history("unknown")).isEmpty();
				assertThat(store.deleteFinished(id)).isTrue();
				assertThat(store.history(id)).isEmpty();
			}
			finally {
				JdbcSchema.drop(dataSource, options);
			}
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("databases")
	void offByDefault(String name, Supplier<HikariDataSource> pool) {
		try (HikariDataSource dataSource = pool.get()) {
			JdbcOptions options = JdbcOptions.builder().tablePrefix(TestDatabases.uniquePrefix("nohist_" + name)).build();
			assertThat(options.historyEnabled()).isFalse();
			JdbcSchema.initialize(dataSource, options);
			try {
				JdbcStateStore store = new JdbcStateStore(dataSource, options);
				Object id = runOneJob(dataSource, options, store);
				assertThat(store.history(id)).isEmpty();
			}
			finally {
				JdbcSchema.drop(dataSource, options);
			}
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("databases")
	void statesOlderThanTheRetentionAreDeleted(String name, Supplier<HikariDataSource> pool) throws Exception {
		try (HikariDataSource dataSource = pool.get()) {
			JdbcOptions options = JdbcOptions.builder()
				.tablePrefix(TestDatabases.uniquePrefix("ret_" + name))
				.history(Duration.ofSeconds(2))
				.build();
			JdbcSchema.initialize(dataSource, options);
			try {
				JdbcStateStore store = new JdbcStateStore(dataSource, options);
				store.update(Job.builder("two_steps").id("old").build());
				assertThat(store.history("old")).hasSize(1);
				await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300)).until(() -> {
					store.update(Job.builder("two_steps").id("new").build());
					return store.history("old").isEmpty();
				});
				assertThat(store.history("new")).isNotEmpty();
			}
			finally {
				JdbcSchema.drop(dataSource, options);
			}
		}
	}

}
