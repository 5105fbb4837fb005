package io.ergate.benchmarks;

import java.io.File;
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

import com.rabbitmq.client.Channel;
import com.zaxxer.hikari.HikariDataSource;
import io.ergate.Ergate;
import io.ergate.Job;
import io.ergate.JobQueue;
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
 * Run it with {@code bench/soak.sh [jdbc|rabbitmq] [kills|hostile]}; the hostile part is
 * {@link HostileSoak}.
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
					HostileSoak.run(setup);
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

	static void deleteRabbitQueues(String queue) {
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

	static void drop(DataSource dataSource, String prefix) throws SQLException {
		for (String table : List.of("queue", "dead_letter", "job")) {
			execute(dataSource, "DROP TABLE IF EXISTS " + prefix + table);
		}
	}

	static void execute(DataSource dataSource, String sql) throws SQLException {
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	static long count(DataSource dataSource, String sql) throws SQLException {
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery(sql)) {
			rows.next();
			return rows.getLong(1);
		}
	}

	static List<String> strings(DataSource dataSource, String sql) throws SQLException {
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
