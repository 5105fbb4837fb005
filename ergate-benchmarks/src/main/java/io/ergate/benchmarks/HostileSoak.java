package io.ergate.benchmarks;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
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
import io.ergate.jdbc.JdbcSchema;
import io.ergate.jdbc.JdbcStateStore;
import io.ergate.rabbitmq.RabbitJobQueue;

/**
 * The hostile part of {@link Soak}: 10,000 hostile payloads of many kinds mixed with 200 valid jobs,
 * on one engine of 2 workers; reports what became of each and whether the workers stayed up.
 */
final class HostileSoak {

	private HostileSoak() {
	}

	static void run(String setup) throws Exception {
		int hostile = 10_000;
		int valid = 200;
		String prefix = "soakh_" + UUID.randomUUID().toString().substring(0, 6) + "_";
		String rabbitQueue = "ergate-soakh-" + UUID.randomUUID().toString().substring(0, 8);
		Random random = new Random(42);
		try (HikariDataSource dataSource = JdbcScenario.pool(6)) {
			JdbcSchema.initialize(dataSource, Soak.options(prefix));
			JdbcStateStore store = new JdbcStateStore(dataSource, Soak.options(prefix));
			JobQueue queue = Soak.queue(setup, dataSource, prefix, rabbitQueue);
			Ergate engine = new Ergate(queue, store);
			engine.registerWorkflow(Soak.workflow(dataSource, "", 0));
			try {
				if (queue instanceof RabbitJobQueue rabbit) {
					// declares the queues before raw messages arrive
					rabbit.put(Job.builder(Soak.WORKFLOW).id("warm-up").initialInputValue(0).build());
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
					validIds.add(engine.submit(Soak.WORKFLOW, 0, null).id().toString());
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
				List<String> failedReasons = Soak.strings(dataSource, "SELECT exception_traceback FROM " + prefix
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
					Soak.deleteRabbitQueues(rabbitQueue);
				}
				Soak.drop(dataSource, prefix);
			}
		}
	}

	/** A hostile payload: its kind and its text. PostgreSQL's JSONB takes only JSON, so the JDBC set-up gets only JSON. */
	static String[] hostilePayload(Random random, String setup, int n) {
		String w = "\"workflow_name\": \"" + Soak.WORKFLOW + "\"";
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
			return Soak.strings(dataSource, "SELECT error FROM " + prefix + "dead_letter");
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
		return Soak.count(dataSource, "SELECT COUNT(*) FROM " + prefix + "job WHERE status = 'COMPLETED'");
	}

}
