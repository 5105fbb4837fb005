package io.ergate.autoconfigure.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import io.ergate.Ergate;
import io.ergate.memory.InMemoryJobQueue;
import io.ergate.memory.InMemoryStateStore;
import io.ergate.Job;
import io.ergate.JobDelivery;
import io.ergate.JobQueue;
import io.ergate.JobStatus;
import io.ergate.StateStore;
import io.ergate.Workflow;
import io.ergate.autoconfigure.ErgateAutoConfiguration;
import io.ergate.spring.health.ErgateHealthDetailsContributor;
import io.ergate.autoconfigure.rabbitmq.ErgateRabbitAutoConfiguration;
import io.ergate.jdbc.JdbcDialect;
import io.ergate.jdbc.JdbcJobQueue;
import io.ergate.jdbc.JdbcOptions;
import io.ergate.jdbc.JdbcSchema;
import io.ergate.jdbc.JdbcStateStore;
import io.ergate.rabbitmq.RabbitJobQueue;
import io.ergate.spring.ErgateClient;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.mariadb.jdbc.MariaDbDataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ErgateJdbcAutoConfiguration}: its conditions, properties and schema
 * initialization, on H2 and on the real PostgreSQL and MariaDB.
 */
class ErgateJdbcAutoConfigurationTests {

	/** The local RabbitMQ (guest/guest), for the test with both adapters. */
	private static final String RABBIT_HOST = TestDataSources.env("ERGATE_RABBITMQ_HOST", "127.0.0.1");

	private static final int RABBIT_PORT = Integer.parseInt(TestDataSources.env("ERGATE_RABBITMQ_PORT", "5672"));

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ErgateJdbcAutoConfiguration.class, ErgateAutoConfiguration.class))
		.withPropertyValues("ergate.worker.enabled=false");

	@Test
	void providesTheQueueAndStoreOnTheDataSourceAndCreatesAnEmbeddedSchema() {
		DataSource h2 = h2();
		this.runner.withBean(DataSource.class, () -> h2).run((context) -> {
			assertThat(context).hasSingleBean(JdbcJobQueue.class)
				.hasSingleBean(JdbcStateStore.class)
				.doesNotHaveBean(InMemoryJobQueue.class)
				.doesNotHaveBean(InMemoryStateStore.class);
			Ergate ergate = context.getBean(Ergate.class);
			assertThat(ergate.queue()).isSameAs(context.getBean(JdbcJobQueue.class));
			assertThat(ergate.stateStore()).isSameAs(context.getBean(JdbcStateStore.class));
			assertThat(context.getBean(JdbcJobQueue.class).dataSource()).isSameAs(h2);
			assertThat(context.getBean(JdbcStateStore.class).dataSource()).isSameAs(h2);
			assertThat(tableExists(h2, "ergate_queue")).isTrue();
			assertThat(tableExists(h2, "ergate_job")).isTrue();
			assertThat(tableExists(h2, "ergate_dead_letter")).isTrue();
		});
	}

	@Test
	@SuppressWarnings("unchecked")
	void theQueueAddsItsRowsAndLeasesToTheErgateHealthDetails() {
		DataSource h2 = h2();
		this.runner.withBean(DataSource.class, () -> h2).run((context) -> {
			JdbcJobQueue queue = context.getBean(JdbcJobQueue.class);
			queue.put(Job.builder("any").id("waiting").build());
			queue.put(Job.builder("any").id("taken").build());
			JobDelivery delivery = queue.take();
			Map<String, Object> details = new LinkedHashMap<>();
			context.getBean("ergateJdbcHealthDetails", ErgateHealthDetailsContributor.class)
				.contributeDetails(details);
			Map<String, Object> jdbc = (Map<String, Object>) details.get("jdbc");
			assertThat(jdbc).containsEntry("rows", 2L).containsEntry("leased", 1L).containsKey("instance");
			delivery.release();
		});
	}

	@Test
	void bindsTheErgateJdbcProperties() {
		this.runner.withBean(DataSource.class, TestDataSources::h2)
			.withPropertyValues("ergate.jdbc.table-prefix=billing_", "ergate.jdbc.claim-batch-size=3",
					"ergate.jdbc.lease-duration=5s", "ergate.jdbc.poll-interval=200ms", "ergate.jdbc.listen-notify=false",
					"ergate.jdbc.dialect=h2", "ergate.jdbc.max-deliveries=5",
					"ergate.jdbc.running-state-delay=50ms", "ergate.jdbc.hand-over-delay=0", "ergate.max-payload-size=64KB")
			.run((context) -> {
				JdbcOptions options = context.getBean(JdbcOptions.class);
				assertThat(options.tablePrefix()).isEqualTo("billing_");
				assertThat(options.claimBatchSize()).isEqualTo(3);
				assertThat(options.leaseDuration()).isEqualTo(Duration.ofSeconds(5));
				assertThat(options.pollInterval()).isEqualTo(Duration.ofMillis(200));
				assertThat(options.listenNotify()).isFalse();
				assertThat(options.dialect()).isEqualTo(JdbcDialect.H2);
				assertThat(options.maxDeliveries()).isEqualTo(5);
				assertThat(options.runningStateDelay()).isEqualTo(Duration.ofMillis(50));
				assertThat(options.handOverDelay()).isZero();
				assertThat(options.maxPayloadBytes()).isEqualTo(64 * 1024);
				assertThat(context.getBean(JdbcJobQueue.class).options()).isSameAs(options);
				assertThat(tableExists(context.getBean(DataSource.class), "billing_queue")).isTrue();
			});
	}

	@Test
	void theQueueWritesTheJobJsonOfTheErgateJsonProperties() {
		this.runner.withBean(DataSource.class, TestDataSources::h2).run((context) -> {
			assertThat(io.ergate.JobJsonFormat.of(context.getBean(JdbcOptions.class).jsonMapper()))
				.isSameAs(io.ergate.JobJsonFormat.DEFAULT);
			assertThat(context.getBean(io.ergate.JobJsonFormat.class)).isSameAs(io.ergate.JobJsonFormat.DEFAULT);
		});
		this.runner.withBean(DataSource.class, TestDataSources::h2)
			.withPropertyValues("ergate.json.status-format=name", "ergate.json.status-numbering=scheduled-first")
			.run((context) -> {
				io.ergate.JobJsonFormat format = io.ergate.JobJsonFormat.of(io.ergate.JobJsonFormat.StatusFormat.NAME,
						io.ergate.JobJsonFormat.StatusNumbering.SCHEDULED_FIRST);
				assertThat(context.getBean(io.ergate.JobJsonFormat.class)).isSameAs(format);
				assertThat(io.ergate.JobJsonFormat.of(context.getBean(JdbcOptions.class).jsonMapper())).isSameAs(format);
				JdbcJobQueue queue = context.getBean(JdbcJobQueue.class);
				queue.put(Job.builder("any").id("named").build());
				try (java.sql.Connection connection = context.getBean(DataSource.class).getConnection();
						java.sql.ResultSet rows = connection.createStatement()
							.executeQuery("SELECT payload FROM ergate_queue")) {
					assertThat(rows.next()).isTrue();
					assertThat(rows.getString(1)).contains("\"status\":\"QUEUED\"");
				}
			});
	}

	@Test
	void rejectsATablePrefixThatIsNotAnIdentifier() {
		this.runner.withBean(DataSource.class, TestDataSources::h2)
			.withPropertyValues("ergate.jdbc.table-prefix=x; DROP TABLE users; --")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("tablePrefix")
				.hasMessageContaining("must be a letter or underscore"));
	}

	@Test
	void withInitializeSchemaNeverMissingTablesFailTheStartupNamingTheSettingAndTheScript() {
		DataSource h2 = h2();
		this.runner.withBean(DataSource.class, () -> h2)
			.withPropertyValues("ergate.jdbc.initialize-schema=never")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(tableExists(h2, "ergate_queue")).isFalse();
				FailureAnalysis analysis = new ErgateJdbcFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).startsWith(
						"The Ergate tables ergate_queue, ergate_job, ergate_dead_letter do not exist in the database jdbc:h2:mem:")
					.endsWith(", and ergate.jdbc.initialize-schema is never.");
				assertThat(analysis.getAction()).isEqualTo("Remove ergate.jdbc.initialize-schema=never (or set it to "
						+ "always) to have Ergate create them at startup, or create them with the script "
						+ "io/ergate/jdbc/schema-h2.sql from the ergate-jdbc jar (for example in a Flyway or Liquibase migration).");
			});
	}

	@Test
	void withInitializeSchemaNeverExistingTablesAreUsed() {
		DataSource h2 = h2();
		JdbcSchema.initialize(h2, JdbcOptions.defaults());
		this.runner.withBean(DataSource.class, () -> h2)
			.withPropertyValues("ergate.jdbc.initialize-schema=never")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(JdbcJobQueue.class));
	}

	@Test
	void createsTheMissingTablesOfAFreshPostgresDatabaseByDefaultAndRunsAJob() throws Exception {
		createsTheMissingTablesByDefaultAndRunsAJob(TestDataSources.postgres(), "io/ergate/jdbc/schema-postgresql.sql");
	}

	@Test
	void createsTheMissingTablesOfAFreshMariaDbDatabaseByDefaultAndRunsAJob() throws Exception {
		createsTheMissingTablesByDefaultAndRunsAJob(TestDataSources.mariadb(), "io/ergate/jdbc/schema-mariadb.sql");
	}

	private void createsTheMissingTablesByDefaultAndRunsAJob(DataSource database, String script) throws Exception {
		String prefix = "t_first_" + UUID.randomUUID().toString().substring(0, 6) + "_";
		Workflow workflow = Workflow.builder("add_one").step("add", Integer.class, (in) -> in + 1).build();
		try {
			assertThat(tableExists(database, prefix + "queue")).isFalse();
			for (int run = 0; run < 2; run++) {   // the second startup finds the tables and creates nothing
				this.runner.withBean(DataSource.class, () -> database)
					.withBean(Workflow.class, () -> workflow)
					.withPropertyValues("ergate.jdbc.table-prefix=" + prefix, "ergate.worker.enabled=true",
							"ergate.jdbc.listen-notify=false", "ergate.jdbc.poll-interval=50ms")
					.run((context) -> {
						assertThat(context).hasNotFailed();
						for (String table : new String[] { "queue", "job", "dead_letter" }) {
							assertThat(tableExists(database, prefix + table)).isTrue();
						}
						ErgateClient client = context.getBean(ErgateClient.class);
						Job done = client.await(client.submit("add_one", 41, null), Duration.ofSeconds(20));
						assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
						assertThat(done.lastReturnValue()).isEqualTo(42);
					});
			}
			TestDataSources.dropTables(database, prefix);
			this.runner.withBean(DataSource.class, () -> database)
				.withPropertyValues("ergate.jdbc.table-prefix=" + prefix, "ergate.jdbc.initialize-schema=embedded")
				.run((context) -> {
					assertThat(context).hasFailed();
					FailureAnalysis analysis = new ErgateJdbcFailureAnalyzer().analyze(context.getStartupFailure());
					assertThat(analysis.getDescription()).contains(prefix + "queue")
						.endsWith("and ergate.jdbc.initialize-schema is embedded.");
					assertThat(analysis.getAction())
						.startsWith("Set ergate.jdbc.initialize-schema=always to have Ergate create them at startup")
						.contains(script);
				});
		}
		finally {
			TestDataSources.dropTables(database, prefix);
		}
	}

	@Test
	void runsJobsThroughTheManagedWorkerOnPostgres() {
		String prefix = "t_boot_" + UUID.randomUUID().toString().substring(0, 6) + "_";
		DataSource postgres = TestDataSources.postgres();
		Workflow workflow = Workflow.builder("add_then_double")
			.step("add", Integer.class, (in) -> in + 1)
			.step("double", Integer.class, (in) -> in * 2)
			.build();
		try {
			new ApplicationContextRunner()
				.withConfiguration(
						AutoConfigurations.of(ErgateJdbcAutoConfiguration.class, ErgateAutoConfiguration.class))
				.withBean(DataSource.class, () -> postgres)
				.withBean("addThenDouble", Workflow.class, () -> workflow)
				.withPropertyValues("ergate.jdbc.table-prefix=" + prefix, "ergate.jdbc.initialize-schema=always",
						"ergate.worker.concurrency=2")
				.run((context) -> {
					Ergate ergate = context.getBean(Ergate.class);
					Job job = ergate.submit(Job.builder("add_then_double").initialInputValue(20).build());
					JdbcStateStore store = context.getBean(JdbcStateStore.class);
					await().atMost(Duration.ofSeconds(10))
						.untilAsserted(() -> assertThat(store.findById(job.id()).orElseThrow().status())
							.isEqualTo(JobStatus.COMPLETED));
					assertThat(store.findById(job.id()).orElseThrow().lastReturnValue()).isEqualTo(42);
					assertThat(context.getBean(JdbcJobQueue.class).depth()).isZero();
				});
		}
		finally {
			TestDataSources.dropTables(postgres, prefix);
		}
	}

	@Test
	void theApplicationsQueueAndStoreWin() {
		this.runner.withBean(DataSource.class, TestDataSources::h2)
			.withBean("myQueue", JobQueue.class, InMemoryJobQueue::new)
			.run((context) -> assertThat(context).doesNotHaveBean(JdbcJobQueue.class)
				.hasSingleBean(JdbcStateStore.class)
				.hasSingleBean(JobQueue.class));
		this.runner.withBean(DataSource.class, TestDataSources::h2)
			.withBean("myStore", StateStore.class, InMemoryStateStore::new)
			.run((context) -> assertThat(context).doesNotHaveBean(JdbcStateStore.class)
				.hasSingleBean(JdbcJobQueue.class)
				.hasSingleBean(StateStore.class));
	}

	@Test
	void withRabbitMqConfiguredTooTheQueueIsRabbitsAndTheStoreIsJdbc() throws Exception {
		String queueName = "ergate-test-jdbc-" + UUID.randomUUID().toString().substring(0, 8);
		try {
			this.runner
				.withConfiguration(AutoConfigurations.of(ErgateRabbitAutoConfiguration.class))
				.withBean(DataSource.class, TestDataSources::h2)
				.withPropertyValues("spring.rabbitmq.host=" + RABBIT_HOST, "spring.rabbitmq.port=" + RABBIT_PORT,
						"spring.rabbitmq.username=guest", "spring.rabbitmq.password=guest",
						"ergate.rabbitmq.queue=" + queueName)
				.run((context) -> {
					assertThat(context).hasNotFailed()
						.hasSingleBean(RabbitJobQueue.class)
						.doesNotHaveBean(JdbcJobQueue.class)
						.hasSingleBean(JdbcStateStore.class);
					Ergate ergate = context.getBean(Ergate.class);
					assertThat(ergate.queue()).isSameAs(context.getBean(RabbitJobQueue.class));
					assertThat(ergate.stateStore()).isSameAs(context.getBean(JdbcStateStore.class));
				});
		}
		finally {
			com.rabbitmq.client.ConnectionFactory factory = new com.rabbitmq.client.ConnectionFactory();
			factory.setHost(RABBIT_HOST);
			factory.setPort(RABBIT_PORT);
			try (com.rabbitmq.client.Connection connection = factory.newConnection();
					com.rabbitmq.client.Channel channel = connection.createChannel()) {
				channel.queueDelete(queueName);
				channel.queueDelete(queueName + ".dlq");
			}
		}
	}

	@Test
	void backsOffWithoutADataSource() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(JdbcJobQueue.class)
			.doesNotHaveBean(JdbcStateStore.class)
			.hasSingleBean(InMemoryJobQueue.class)
			.hasSingleBean(InMemoryStateStore.class));
	}

	@Test
	void backsOffWithoutErgateJdbcOnTheClassPath() {
		this.runner.withBean(DataSource.class, TestDataSources::h2)
			.withClassLoader(new FilteredClassLoader(JdbcJobQueue.class))
			.run((context) -> assertThat(context).doesNotHaveBean(JdbcJobQueue.class)
				.doesNotHaveBean(JdbcStateStore.class)
				.doesNotHaveBean(ErgateJdbcProperties.class)
				.hasSingleBean(InMemoryJobQueue.class));
	}

	@Test
	void backsOffWhenErgateIsDisabled() {
		this.runner.withBean(DataSource.class, TestDataSources::h2)
			.withPropertyValues("ergate.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(JdbcJobQueue.class)
				.doesNotHaveBean(JdbcStateStore.class));
	}

	private static DataSource h2() {
		return TestDataSources.h2();
	}

	private static boolean tableExists(DataSource dataSource, String table) throws SQLException {
		try (Connection connection = dataSource.getConnection();
				ResultSet tables = connection.getMetaData().getTables(null, null, null, new String[] { "TABLE" })) {
			while (tables.next()) {
				if (tables.getString("TABLE_NAME").equalsIgnoreCase(table)) {
					return true;
				}
			}
			return false;
		}
	}

	/** The databases of these tests. */
	static final class TestDataSources {

		static DataSource h2() {
			JdbcDataSource dataSource = new JdbcDataSource();
			dataSource.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
			return dataSource;
		}

		/** The local PostgreSQL (ERGATE_TEST_POSTGRES_URL to point elsewhere); fails saying so when absent. */
		static DataSource postgres() {
			String url = env("ERGATE_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
			PGSimpleDataSource dataSource = new PGSimpleDataSource();
			dataSource.setURL(url);
			dataSource.setUser(env("ERGATE_TEST_POSTGRES_USER", "postgres"));
			dataSource.setPassword(env("ERGATE_TEST_POSTGRES_PASSWORD", ""));
			try (Connection connection = dataSource.getConnection()) {
				connection.isValid(1);
			}
			catch (SQLException ex) {
				throw new IllegalStateException("This test needs a real PostgreSQL and none answered at " + url + " ("
						+ ex.getMessage() + "): start the local service or set ERGATE_TEST_POSTGRES_URL/_USER/_PASSWORD",
						ex);
			}
			return dataSource;
		}

		/** The local MariaDB (ERGATE_TEST_MARIADB_URL to point elsewhere); fails saying so when absent. */
		static DataSource mariadb() {
			String url = env("ERGATE_TEST_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/test");
			MariaDbDataSource dataSource = new MariaDbDataSource();
			try {
				dataSource.setUrl(url);
				dataSource.setUser(env("ERGATE_TEST_MARIADB_USER", "root"));
				dataSource.setPassword(env("ERGATE_TEST_MARIADB_PASSWORD", ""));
			}
			catch (SQLException ex) {
				throw new IllegalStateException(ex);
			}
			try (Connection connection = dataSource.getConnection()) {
				connection.isValid(1);
			}
			catch (SQLException ex) {
				throw new IllegalStateException("This test needs a real MariaDB and none answered at " + url + " ("
						+ ex.getMessage() + "): start the local service or set ERGATE_TEST_MARIADB_URL/_USER/_PASSWORD",
						ex);
			}
			return dataSource;
		}

		static void dropTables(DataSource dataSource, String prefix) {
			try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
				for (String table : new String[] { "queue", "job", "dead_letter" }) {
					statement.execute("DROP TABLE IF EXISTS " + prefix + table);
				}
			}
			catch (SQLException ex) {
				throw new IllegalStateException(ex);
			}
		}

		static String env(String name, String fallback) {
			String value = System.getenv(name);
			return (value != null && !value.isBlank()) ? value : fallback;
		}

	}

}
