package io.ergate.interop;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.ergate.Ergate;
import io.ergate.Job;
import io.ergate.JobJsonFormat;
import io.ergate.JobStatus;
import io.ergate.jdbc.JdbcJobQueue;
import io.ergate.jdbc.JdbcOptions;
import io.ergate.jdbc.JdbcSchema;
import io.ergate.jdbc.JdbcStateStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static io.ergate.interop.InteropCases.ENDS_AS;
import static io.ergate.interop.InteropCases.caseOf;
import static io.ergate.interop.InteropCases.idOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Python producer and Java workers on one PostgreSQL queue table and state store (the local
 * service, {@code ERGATE_TEST_POSTGRES_URL}/{@code _USER}/{@code _PASSWORD}, default
 * jdbc:postgresql://127.0.0.1:5432/test as postgres, tables of a prefix of their own): the rows the
 * Python kit inserts run on Java workers, and every state row and queue row Java writes validates in
 * the Python {@code Job} model, read as the kit reads them.
 */
class PostgresPythonInteropTests {

	private static final Set<String> JSON_COLUMNS = Set.of("id", "initial_input_value", "last_return_value",
			"user_context", "metadata", "payload");

	private final JsonMapper mapper = JobJsonFormat.DEFAULT.applyTo(JsonMapper.shared());

	private final String prefix = "t_python_" + UUID.randomUUID().toString().substring(0, 6) + "_";

	private HikariDataSource dataSource;

	private JdbcOptions options;

	@BeforeEach
	void createTables() {
		String url = env("ERGATE_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(url);
		config.setUsername(env("ERGATE_TEST_POSTGRES_USER", "postgres"));
		config.setPassword(env("ERGATE_TEST_POSTGRES_PASSWORD", ""));
		config.setMaximumPoolSize(6);
		config.setMinimumIdle(1);
		config.setInitializationFailTimeout(5000);
		try {
			this.dataSource = new HikariDataSource(config);
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException("This test needs a real PostgreSQL, and none answered at " + url + " ("
					+ ex.getMessage() + "). Start the local service (`.ci/run` does; trust auth for user postgres, "
					+ "database test), or point ERGATE_TEST_POSTGRES_URL/_USER/_PASSWORD at one.", ex);
		}
		this.options = JdbcOptions.builder().tablePrefix(this.prefix).jsonMapper(this.mapper).build();
		JdbcSchema.initialize(this.dataSource, this.options);
		Python.requirePydantic2();
	}

	@AfterEach
	void dropTables() throws SQLException {
		if (this.dataSource == null) {
			return;
		}
		try (Connection connection = this.dataSource.getConnection(); Statement statement = connection.createStatement()) {
			for (String table : new String[] { "queue", "dead_letter", "job" }) {
				statement.execute("DROP TABLE IF EXISTS " + this.prefix + table);
			}
		}
		finally {
			this.dataSource.close();
		}
	}

	private static String env(String name, String fallback) {
		String value = System.getenv(name);
		return (value == null || value.isBlank()) ? fallback : value;
	}

	@Test
	void pythonRowsRunOnJavaWorkersAndEveryStateJavaRecordsValidatesInPython() throws Exception {
		List<JsonNode> lines = Python.produce(InteropCases.WORKFLOW, this.prefix);
		InteropCases.assertJavaReadsEveryPythonStatus(this.mapper, lines);
		insertAsPythonSays(lines);
		JdbcStateStore store = new JdbcStateStore(this.dataSource, this.options);
		InteropCases.StepStarts starts = new InteropCases.StepStarts();
		try (JdbcJobQueue queue = new JdbcJobQueue(this.dataSource, this.options)) {
			Ergate app = Ergate.builder(queue, store).listener(starts).build();
			app.registerWorkflow(InteropCases.workflow());
			app.start(2);
			try {
				InteropCases.await(() -> lines.stream()
					.filter((line) -> ENDS_AS.containsKey(caseOf(line)))
					.allMatch((line) -> store.findById(idOf(line)).map((job) -> job.status().isFinal()).orElse(false)),
						Duration.ofSeconds(60), starts.states);
			}
			finally {
				assertThat(app.stop(Duration.ofSeconds(10))).isTrue();
			}
		}
		Map<String, Job> finals = new LinkedHashMap<>();
		for (JsonNode line : lines) {
			if (ENDS_AS.containsKey(caseOf(line))) {
				finals.put(caseOf(line), store.findById(idOf(line)).orElseThrow());
			}
			else {
				assertThat(store.findById(idOf(line))).as("a %s job is not run again", caseOf(line)).isEmpty();
			}
		}
		InteropCases.assertOutcomes(finals);
		RabbitMqPythonInteropTests.assertScheduledDidNotRunEarly(lines, starts);
		assertThat(count("queue")).as("rows left on the queue").isZero();
		// the finished jobs Python wrote: dead-lettered with their reason, nothing else
		assertThat(count("dead_letter")).as("dead-lettered rows").isEqualTo(InteropCases.finishedCases());

		// Java to Python: the state rows, as psycopg gives them to the kit's job_from_state_row
		List<JsonNode> rows = new ArrayList<>();
		List<JobStatus> statuses = new ArrayList<>();
		for (ObjectNode row : rows("SELECT * FROM " + this.prefix + "job" + " ORDER BY job_key")) {
			rows.add(InteropCases.input("row", row));
			statuses.add(JobStatus.valueOf(row.get("status").asString()));
		}
		assertThat(rows).hasSize(ENDS_AS.size());
		InteropCases.assertPythonReads(rows, statuses);
		// and every state the engine recorded on the way, as job JSON
		List<JsonNode> states = new ArrayList<>();
		List<JobStatus> stateStatuses = new ArrayList<>();
		for (Job state : starts.states) {
			states.add(InteropCases.input("message", this.mapper.writeValueAsString(state)));
			stateStatuses.add(state.status());
		}
		assertThat(EnumSet.copyOf(stateStatuses)).contains(JobStatus.RUNNING, JobStatus.QUEUED, JobStatus.COMPLETED,
				JobStatus.FAILED, JobStatus.ABORTED);
		InteropCases.assertPythonReads(states, stateStatuses);
	}

	@Test
	void aPythonConsumerReadsEveryQueueRowJavaPuts() throws Exception {
		List<Job> jobs = InteropCases.oneJobPerStatus("java-");
		try (JdbcJobQueue queue = new JdbcJobQueue(this.dataSource, this.options)) {
			for (Job job : jobs) {
				queue.put(job);
			}
		}
		List<JsonNode> inputs = new ArrayList<>();
		for (ObjectNode row : rows("SELECT payload FROM " + this.prefix + "queue" + " ORDER BY id")) {
			inputs.add(InteropCases.input("message", this.mapper.writeValueAsString(row.get("payload"))));
		}
		assertThat(inputs).hasSize(jobs.size());
		InteropCases.assertPythonReads(inputs, jobs.stream().map(Job::status).toList());
	}

	/** Runs the statements the Python kit made for psycopg: its %s placeholders are JDBC's ?. */
	private void insertAsPythonSays(List<JsonNode> lines) throws SQLException {
		try (Connection connection = this.dataSource.getConnection()) {
			for (JsonNode line : lines) {
				assertThat(line.get("postgres")).as("statements of %s", caseOf(line)).isNotEmpty();
				for (JsonNode statement : line.get("postgres")) {
					try (PreparedStatement prepared = connection
						.prepareStatement(statement.get(0).asString().replace("%s", "?"))) {
						int index = 1;
						for (JsonNode param : statement.get(1)) {
							if (param.isNull()) {
								prepared.setNull(index++, Types.VARCHAR);
							}
							else if (param.isIntegralNumber()) {
								prepared.setLong(index++, param.longValue());
							}
							else {
								prepared.setString(index++, param.asString());
							}
						}
						prepared.execute();
					}
				}
			}
		}
	}

	private long count(String table) throws SQLException {
		try (Connection connection = this.dataSource.getConnection(); Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + this.prefix + table)) {
			rows.next();
			return rows.getLong(1);
		}
	}

	/** Rows as psycopg returns them: jsonb decoded, timestamps as date-times, the rest as they are. */
	private List<ObjectNode> rows(String sql) throws SQLException {
		List<ObjectNode> result = new ArrayList<>();
		try (Connection connection = this.dataSource.getConnection(); Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery(sql)) {
			ResultSetMetaData meta = rows.getMetaData();
			while (rows.next()) {
				ObjectNode row = this.mapper.createObjectNode();
				for (int i = 1; i <= meta.getColumnCount(); i++) {
					String column = meta.getColumnName(i);
					if (rows.getObject(i) == null) {
						row.putNull(column);
					}
					else if (JSON_COLUMNS.contains(column)) {
						row.set(column, this.mapper.readTree(rows.getString(i)));
					}
					else if (meta.getColumnType(i) == Types.TIMESTAMP || meta.getColumnType(i) == Types.TIMESTAMP_WITH_TIMEZONE) {
						row.put(column, rows.getObject(i, OffsetDateTime.class).toString());
					}
					else if (meta.getColumnType(i) == Types.INTEGER || meta.getColumnType(i) == Types.BIGINT) {
						row.put(column, rows.getLong(i));
					}
					else if (meta.getColumnType(i) == Types.DOUBLE) {
						row.put(column, rows.getDouble(i));
					}
					else {
						row.put(column, rows.getString(i));
					}
				}
				result.add(row);
			}
		}
		return result;
	}

}
