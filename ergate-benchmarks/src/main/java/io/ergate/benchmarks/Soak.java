package io.ergate.benchmarks;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import com.zaxxer.hikari.HikariDataSource;
import io.ergate.Ergate;
import io.ergate.Job;
import io.ergate.JobQueue;
import io.ergate.JobStatus;
import io.ergate.WorkerStatus;
import io.ergate.Workflow;
import io.ergate.jdbc.JdbcJobQueue;
import io.ergate.jdbc.JdbcOptions;
import io.ergate.jdbc.JdbcSchema;
import io.ergate.jdbc.JdbcStateStore;
import io.ergate.rabbitmq.RabbitJobQueue;

/**
 * The soak of the poison policy, on the local PostgreSQL and RabbitMQ, in two set-ups: the JDBC queue
 * and store, and the RabbitMQ queue with the JDBC store.
 * <ul>
 * <li>{@code kills}: 1,000 jobs of 5 steps run by 2 worker processes of 2 workers each, while 10
 * random SIGKILLs hit them (each killed process is started again). Every step run is recorded (start
 * and end, by process) in a table. Reported: jobs completed, jobs lost, extra step runs, the reruns
 * at-least-once allows (the step a killed process had in hand) and forks (any other step that ran
 * twice: a later step of a job whose earlier step was delivered again).</li>
 * <li>{@code hostile}: 10,000 hostile payloads mixed with 200 valid jobs, on one engine of 2
 * workers. Reported: valid jobs completed, hostile payloads dead-lettered or FAILED, reasons that
 * read as internal errors, and whether both workers stayed up throughout.</li>
 * </ul>
 * Run it with {@code bench/soak.sh [jdbc|rabbitmq] [kills|hostile]}.
 */
public final class Soak {

	static final String WORKFLOW = "soak5";

	static final int STEPS = 5;

	private Soak() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length > 0 && args[0].equals("worker")) {
			worker(args[1], args[2], args[3]);
			return;
		}
		List<String> setups = new ArrayList<>();
		List<String> parts = new ArrayList<>();
		for (String arg : args) {
			if (arg.equals("jdbc") || arg.equals("rabbitmq")) {
				setups.add(arg);
			}
			else {
				parts.add(arg);
			}
		}
		if (setups.isEmpty()) {
			setups = List.of("jdbc", "rabbitmq");
		}
		if (parts.isEmpty()) {
			parts = List.of("kills", "hostile");
		}
		for (String setup : setups) {
			for (String part : parts) {
				if (part.equals("kills")) {
					kills(setup);
				}
				else {
					hostile(setup);
				}
			}
		}
	}

	// --- set-up

	static JdbcOptions options(String prefix) {
		return JdbcOptions.builder()
			.tablePrefix(prefix)
			.leaseDuration(Duration.ofSeconds(2))
			.pollInterval(Duration.ofMillis(200))
			.build();
	}

	static JobQueue queue(String setup, DataSource dataSource, String prefix, String rabbitQueue) {
		if (setup.equals("jdbc")) {
			return new JdbcJobQueue(dataSource, options(prefix));
		}
		return RabbitJobQueue.builder(RabbitScenario.connectionFactory()).queue(rabbitQueue).concurrency(2).build();
	}

	static Workflow workflow(DataSource runs, String prefix, long stepMillis) {
		Workflow.Builder builder = Workflow.builder(WORKFLOW);
		long pid = ProcessHandle.current().pid();
		for (int i = 1; i <= STEPS; i++) {
			String step = "s" + i;
			builder.step(step, (context) -> {
				String id = String.valueOf(context.job().id());
				record(runs, prefix, id, step, "start", pid);
				if (stepMillis > 0) {
					Thread.sleep(stepMillis);
				}
				record(runs, prefix, id, step, "end", pid);
				Integer in = context.input(Integer.class);
				return (in == null) ? 1 : in + 1;
			});
		}
		return builder.build();
	}

	private static void record(DataSource dataSource, String prefix, String id, String step, String phase, long pid)
			throws SQLException {
		if (prefix.isEmpty()) {
			return;
		}
		try (Connection connection = dataSource.getConnection();
				PreparedStatement statement = connection
					.prepareStatement("INSERT INTO " + prefix + "runs (job_id, step, phase, pid) VALUES (?, ?, ?, ?)")) {
			statement.setString(1, id);
			statement.setString(2, step);
			statement.setString(3, phase);
			statement.setLong(4, pid);
			statement.executeUpdate();
		}
	}

	/** A worker process: 2 workers on the set-up's queue and the JDBC store, until killed. */
	static void worker(String setup, String prefix, String rabbitQueue) throws Exception {
		try (HikariDataSource dataSource = JdbcScenario.pool(6)) {
			JobQueue queue = queue(setup, dataSource, prefix, rabbitQueue);
			Ergate engine = new Ergate(queue, new JdbcStateStore(dataSource, options(prefix)));
			engine.registerWorkflow(workflow(dataSource, prefix, 15));
			engine.start(2);
			Thread.sleep(Long.MAX_VALUE);
		}
	}

	// --- kills

	static void kills(String setup) throws Exception {
		int jobs = 1000;
		int kills = 10;
		String prefix = "soak_" + UUID.randomUUID().toString().substring(0, 6) + "_";
		String rabbitQueue = "ergate-soak-" + UUID.randomUUID().toString().substring(0, 8);
		Random random = new Random();
		try (HikariDataSource dataSource = JdbcScenario.pool(4)) {
			JdbcSchema.initialize(dataSource, options(prefix));
			execute(dataSource, "CREATE TABLE " + prefix + "runs (seq BIGSERIAL, job_id VARCHAR(64) NOT NULL, "
					+ "step VARCHAR(8) NOT NULL, phase VARCHAR(8) NOT NULL, pid BIGINT NOT NULL)");
			JdbcStateStore store = new JdbcStateStore(dataSource, options(prefix));
			JobQueue queue = queue(setup, dataSource, prefix, rabbitQueue);
			try {
				Ergate producer = new Ergate(queue, store);
				producer.registerWorkflow(workflow(dataSource, "", 0));
				for (int i = 0; i < jobs; i++) {
					producer.submit(Job.builder(WORKFLOW).id("k" + i).initialInputValue(0).build());
				}
				Process[] workers = { startWorker(setup, prefix, rabbitQueue, 0), startWorker(setup, prefix, rabbitQueue, 1) };
				List<Long> killed = new ArrayList<>();
				long started = System.nanoTime();
				for (int kill = 0; kill < kills; kill++) {
					Thread.sleep(300 + random.nextInt(700));
					int which = random.nextInt(2);
					killed.add(workers[which].pid());
					workers[which].destroyForcibly();
					workers[which].waitFor(10, TimeUnit.SECONDS);
					workers[which] = startWorker(setup, prefix, rabbitQueue, kill + 2);
				}
				long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
				while (count(dataSource, "SELECT COUNT(*) FROM " + prefix + "job WHERE status = 'COMPLETED'") < jobs
						&& System.nanoTime() < deadline) {
					Thread.sleep(100);
				}
				long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
				Thread.sleep(1000); // steps delivered again late would show now
				for (Process worker : workers) {
					worker.destroyForcibly();
					worker.waitFor(10, TimeUnit.SECONDS);
				}
				report(setup, dataSource, prefix, jobs, killed, seconds);
			}
			finally {
				if (queue instanceof AutoCloseable closeable) {
					closeable.close();
				}
				if (setup.equals("rabbitmq")) {
					deleteRabbitQueues(rabbitQueue);
				}
				execute(dataSource, "DROP TABLE IF EXISTS " + prefix + "runs");
				drop(dataSource, prefix);
			}
		}
	}

	private static void report(String setup, DataSource dataSource, String prefix, int jobs, List<Long> killed,
			long seconds) throws SQLException {
		long completed = count(dataSource, "SELECT COUNT(*) FROM " + prefix + "job WHERE status = 'COMPLETED' "
				+ "AND steps_completed = " + STEPS);
		long starts = count(dataSource, "SELECT COUNT(*) FROM " + prefix + "runs WHERE phase = 'start'");
		String killedList = killed.toString().replace('[', '(').replace(']', ')');
		// per job and step: how many runs started, and whether a killed process had the last step of that job in hand
		long rerunSteps = 0;
		long allowed = 0;
		long forks = 0;
		Map<String, List<String[]>> runsByJob = new LinkedHashMap<>();
		try (Connection connection = dataSource.getConnection();
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("SELECT job_id, step, pid FROM " + prefix
						+ "runs WHERE phase = 'start' ORDER BY job_id, seq")) {
			while (rows.next()) {
				runsByJob.computeIfAbsent(rows.getString(1), (key) -> new ArrayList<>())
					.add(new String[] { rows.getString(2), Long.toString(rows.getLong(3)) });
			}
		}
		for (List<String[]> runs : runsByJob.values()) {
			Map<String, List<String>> pidsByStep = new LinkedHashMap<>();
			for (String[] run : runs) {
				pidsByStep.computeIfAbsent(run[0], (key) -> new ArrayList<>()).add(run[1]);
			}
			for (Map.Entry<String, List<String>> step : pidsByStep.entrySet()) {
				List<String> pids = step.getValue();
				if (pids.size() < 2) {
					continue;
				}
				rerunSteps++;
				// allowed: every run but the last was by a process that was killed with this step in hand
				boolean interrupted = true;
				for (int i = 0; i < pids.size() - 1; i++) {
					String pid = pids.get(i);
					boolean wasKilled = killed.contains(Long.parseLong(pid));
					boolean laterStepBySamePid = false;
					boolean after = false;
					for (String[] run : runs) {
						if (run[0].equals(step.getKey()) && run[1].equals(pid)) {
							after = true;
						}
						else if (after && run[1].equals(pid)) {
							laterStepBySamePid = true;
						}
					}
					interrupted &= wasKilled && !laterStepBySamePid;
				}
				if (interrupted) {
					allowed++;
				}
				else {
					forks++;
				}
			}
		}
		System.out.printf("soak=kills setup=%s jobs=%d steps=%d processes=2 workers_per_process=2 kills=%d seconds=%d "
				+ "completed=%d lost=%d step_runs=%d extra_runs=%d steps_rerun=%d interrupted_reruns=%d forks=%d "
				+ "queue_rows_left=%d dead_letters=%d killed_pids=%s%n", setup, jobs, STEPS, killed.size(), seconds,
				completed, jobs - completed, starts, starts - (long) jobs * STEPS, rerunSteps, allowed, forks,
				setup.equals("jdbc") ? count(dataSource, "SELECT COUNT(*) FROM " + prefix + "queue") : -1,
				count(dataSource, "SELECT COUNT(*) FROM " + prefix + "dead_letter"), killedList);
	}

	private static Process startWorker(String setup, String prefix, String rabbitQueue, int number) throws Exception {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		List<String> command = List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
				Soak.class.getName(), "worker", setup, prefix, rabbitQueue);
		File log = new File(System.getProperty("java.io.tmpdir"), "ergate-soak-worker-" + number + ".log");
		return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
	}

	// --- hostile payloads

	static void hostile(String setup) throws Exception {
		int hostile = 10_000;
		int valid = 200;
		String prefix = "soakh_" + UUID.randomUUID().toString().substring(0, 6) + "_";
		String rabbitQueue = "ergate-soakh-" + UUID.randomUUID().toString().substring(0, 8);
		Random random = new Random(42);
		try (HikariDataSource dataSource = JdbcScenario.pool(6)) {
			JdbcSchema.initialize(dataSource, options(prefix));
			JdbcStateStore store = new JdbcStateStore(dataSource, options(prefix));
			JobQueue queue = queue(setup, dataSource, prefix, rabbitQueue);
			Ergate engine = new Ergate(queue, store);
			engine.registerWorkflow(workflow(dataSource, "", 0));
			try {
				if (queue instanceof RabbitJobQueue rabbit) {
					// declares the queues before raw messages arrive
					rabbit.put(Job.builder(WORKFLOW).id("warm-up").initialInputValue(0).build());
				}
				List<String> validIds = new ArrayList<>();
				Map<String, Integer> kinds = new LinkedHashMap<>();
				int perValid = hostile / valid;
				int written = 0;
				for (int v = 0; v < valid; v++) {
					for (int h = 0; h < perValid; h++) {
						String[] payload = hostilePayload(random, setup, written++);
						kinds.merge(payload[0], 1, Integer::sum);
						putRaw(setup, dataSource, prefix, rabbitQueue, payload[1]);
					}
					validIds.add(engine.submit(WORKFLOW, 0, null).id().toString());
				}
				long started = System.nanoTime();
				engine.start(2);
				boolean upThroughout = true;
				long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
				long settled;
				do {
					Thread.sleep(200);
					WorkerStatus status = engine.status();
					upThroughout &= status.workers() == 2 && status.state() == WorkerStatus.State.RUNNING;
					settled = deadLetterCount(setup, dataSource, prefix, rabbitQueue);
				}
				while ((settled < hostile || completedCount(dataSource, prefix) < valid + (setup.equals("rabbitmq") ? 1 : 0))
						&& System.nanoTime() < deadline);
				long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
				engine.stop(Duration.ofSeconds(10));
				List<String> reasons = deadLetterReasons(setup, dataSource, prefix, rabbitQueue);
				long deadLettered = reasons.size();
				List<String> failedReasons = strings(dataSource, "SELECT exception_traceback FROM " + prefix
						+ "job WHERE status = 'FAILED'");
				reasons.addAll(failedReasons);
				long internal = reasons.stream()
					.filter((reason) -> reason == null || reason.contains("NullPointerException")
							|| reason.contains("ClassCastException") || reason.startsWith("Unreadable job"))
					.count();
				long validCompleted = 0;
				for (String id : validIds) {
					Job state = store.findById(id).orElse(null);
					if (state != null && state.status() == JobStatus.COMPLETED) {
						validCompleted++;
					}
				}
				System.out.printf("soak=hostile setup=%s hostile=%d valid=%d seconds=%d valid_completed=%d "
						+ "dead_lettered=%d recorded_failed=%d reasons_reading_as_internal_errors=%d workers_up_throughout=%s "
						+ "kinds=%s%n", setup, hostile, valid, seconds, validCompleted, deadLettered, failedReasons.size(),
						internal,
						upThroughout, kinds);
				Map<String, Integer> samples = new LinkedHashMap<>();
				for (String reason : reasons) {
					String key = (reason == null) ? "null" : reason.replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "<id>")
						.replaceAll("\\d+", "N");
					key = key.substring(0, Math.min(110, key.length()));
					samples.merge(key, 1, Integer::sum);
				}
				samples.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(12)
					.forEach((entry) -> System.out.printf("  reason x%d: %s%n", entry.getValue(), entry.getKey()));
			}
			finally {
				engine.stop(Duration.ofSeconds(5));
				if (queue instanceof AutoCloseable closeable) {
					closeable.close();
				}
				if (setup.equals("rabbitmq")) {
					deleteRabbitQueues(rabbitQueue);
				}
				drop(dataSource, prefix);
			}
		}
	}

	/** A hostile payload: its kind and its text. PostgreSQL's JSONB takes only JSON, so the JDBC set-up gets only JSON. */
	static String[] hostilePayload(Random random, String setup, int n) {
		String w = "\"workflow_name\": \"" + WORKFLOW + "\"";
		int kinds = setup.equals("jdbc") ? 14 : 17;
		switch (random.nextInt(kinds)) {
			case 0: return new String[] { "final_status", "{" + w + ", \"id\": \"h" + n + "\", \"status\": \""
					+ List.of("COMPLETED", "FAILED", "ABORTED").get(random.nextInt(3)) + "\"}" };
			case 1: return new String[] { "json_null", "null" };
			case 2: return new String[] { "not_an_object", List.of("[1, 2]", "\"text\"", "42", "true").get(random.nextInt(4)) };
			case 3: return new String[] { "workflow_null", "{\"workflow_name\": null, \"id\": \"h" + n + "\"}" };
			case 4: return new String[] { "no_workflow", "{\"id\": \"h" + n + "\"}" };
			case 5: return new String[] { "unknown_workflow", "{\"workflow_name\": \"nope_" + n + "\", \"id\": \"h" + n + "\"}" };
			case 6: return new String[] { "unknown_step", "{" + w + ", \"id\": \"h" + n + "\", \"step_name\": \"s99\"}" };
			case 7: return new String[] { "bad_status", "{" + w + ", \"status\": \"" + (random.nextBoolean() ? "BOGUS" : "99") + "\"}" };
			case 8: return new String[] { "bad_steps", "{" + w + ", \"steps_completed\": " + (random.nextBoolean() ? "-3" : "\"many\"") + "}" };
			case 9: return new String[] { "bad_percent", "{" + w + ", \"percent_completed\": " + (random.nextBoolean() ? "1e10" : "\"half\"") + "}" };
			case 10: return new String[] { "bad_start_time", "{" + w + ", \"requested_start_time\": " + (random.nextBoolean() ? "1e20" : "\"tomorrow\"") + "}" };
			case 11: return new String[] { "deep_nesting", "{" + w + ", \"initial_input_value\": " + "[".repeat(3000) + "]".repeat(3000) + "}" };
			case 12: return new String[] { "bad_metadata", "{" + w + ", \"metadata\": [1, 2]}" };
			case 13: return (n % 50 == 0) ? new String[] { "too_large", "{" + w + ", \"initial_input_value\": \"" + "x".repeat(1_200_000) + "\"}" }
					: new String[] { "bad_step_name", "{" + w + ", \"step_name\": 7}" };
			case 14: return new String[] { "not_json", List.of("{not json", "\u0000\u0001binary", "", "{\"workflow_name\": ").get(random.nextInt(4)) };
			case 15: return new String[] { "store_refuses_value", "{" + w + ", \"id\": \"h" + n + "\", \"initial_input_value\": 1e999999}" };
			default: return new String[] { "truncated", "{" + w + ", \"user_context\": {\"a\": [1, 2" };
		}
	}

	private static void putRaw(String setup, DataSource dataSource, String prefix, String rabbitQueue, String payload)
			throws Exception {
		if (setup.equals("jdbc")) {
			try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection
				.prepareStatement("INSERT INTO " + prefix + "queue (payload) VALUES (?::jsonb)")) {
				statement.setString(1, payload);
				statement.executeUpdate();
			}
			return;
		}
		if (publishing == null) {
			publishing = rabbit().createChannel();
		}
		publishing.basicPublish("", rabbitQueue, new AMQP.BasicProperties.Builder().deliveryMode(2).build(),
				payload.getBytes(StandardCharsets.UTF_8));
	}

	private static com.rabbitmq.client.Connection cached;

	private static Channel publishing;

	private static synchronized com.rabbitmq.client.Connection rabbit() throws Exception {
		if (cached == null || !cached.isOpen()) {
			cached = RabbitScenario.connectionFactory().newConnection("ergate-soak");
		}
		return cached;
	}

	private static final List<String> rabbitDeadLetters = new ArrayList<>();

	private static long deadLetterCount(String setup, DataSource dataSource, String prefix, String rabbitQueue)
			throws Exception {
		return deadLetterReasons(setup, dataSource, prefix, rabbitQueue).size();
	}

	private static List<String> deadLetterReasons(String setup, DataSource dataSource, String prefix,
			String rabbitQueue) throws Exception {
		if (setup.equals("jdbc")) {
			return strings(dataSource, "SELECT error FROM " + prefix + "dead_letter");
		}
		try (Channel channel = cachedChannel()) {
			GetResponse response;
			while ((response = channel.basicGet(rabbitQueue + ".dlq", true)) != null) {
				Object reason = response.getProps().getHeaders().get(RabbitJobQueue.DEAD_LETTER_REASON_HEADER);
				rabbitDeadLetters.add(String.valueOf(reason));
			}
		}
		return new ArrayList<>(rabbitDeadLetters);
	}

	private static Channel cachedChannel() throws Exception {
		return rabbit().createChannel();
	}

	private static long completedCount(DataSource dataSource, String prefix) throws SQLException {
		return count(dataSource, "SELECT COUNT(*) FROM " + prefix + "job WHERE status = 'COMPLETED'");
	}

	private static void deleteRabbitQueues(String queue) {
		try (com.rabbitmq.client.Connection connection = RabbitScenario.connectionFactory()
			.newConnection("ergate-soak-cleanup")) {
			List<String> names = new ArrayList<>(List.of(queue, queue + ".dlq"));
			for (long bucket = 16; bucket <= (1L << 25); bucket <<= 1) {
				names.add(queue + ".delay." + bucket);
			}
			for (String name : names) {
				Channel channel = connection.createChannel();
				try {
					channel.queueDelete(name);
					channel.close();
				}
				catch (Exception ex) {
					// absent
				}
			}
		}
		catch (Exception ex) {
			System.err.println("could not delete the soak's queues: " + ex);
		}
	}

	private static void drop(DataSource dataSource, String prefix) throws SQLException {
		for (String table : List.of("queue", "dead_letter", "job")) {
			execute(dataSource, "DROP TABLE IF EXISTS " + prefix + table);
		}
	}

	private static void execute(DataSource dataSource, String sql) throws SQLException {
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	private static long count(DataSource dataSource, String sql) throws SQLException {
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery(sql)) {
			rows.next();
			return rows.getLong(1);
		}
	}

	private static List<String> strings(DataSource dataSource, String sql) throws SQLException {
		List<String> values = new ArrayList<>();
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery(sql)) {
			while (rows.next()) {
				values.add(rows.getString(1));
			}
		}
		return values;
	}

}
