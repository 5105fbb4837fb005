package io.ergate.interop;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.ergate.Ergate;
import io.ergate.Job;
import io.ergate.JobJsonFormat;
import io.ergate.JobStatus;
import io.ergate.rabbitmq.RabbitJobQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static io.ergate.interop.InteropCases.ENDS_AS;
import static io.ergate.interop.InteropCases.caseOf;
import static io.ergate.interop.InteropCases.idOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Python producer and Java workers on one RabbitMQ queue (the local broker,
 * {@code ERGATE_RABBITMQ_HOST}/{@code _PORT}/{@code _USER}/{@code _PASSWORD}, default 127.0.0.1:5672
 * guest/guest): the messages the Python kit makes run on Java workers, and every state Java records,
 * and every job Java puts on the queue, validates in the Python {@code Job} model.
 */
class RabbitMqPythonInteropTests {

	private static final String HOST = env("ERGATE_RABBITMQ_HOST", "127.0.0.1");

	private static final int PORT = Integer.parseInt(env("ERGATE_RABBITMQ_PORT", "5672"));

	/** What Ergate writes by default; the same as JsonMapper.shared(). */
	private final JsonMapper mapper = JobJsonFormat.DEFAULT.applyTo(JsonMapper.shared());

	private final String queueName = "ergate-test-python-" + UUID.randomUUID().toString().substring(0, 8);

	private final List<String> queues = new ArrayList<>();

	@BeforeAll
	static void brokerIsReachable() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(HOST, PORT), 1000);
		}
		catch (IOException ex) {
			throw new IllegalStateException("This test needs a real RabbitMQ and nothing listens on " + HOST + ":" + PORT
					+ ". Start one (`.ci/run` does, or `rabbitmq-server -detached`), or point "
					+ "ERGATE_RABBITMQ_HOST/_PORT/_USER/_PASSWORD at one.", ex);
		}
		Python.requirePydantic2();
	}

	private static String env(String name, String fallback) {
		String value = System.getenv(name);
		return (value == null || value.isBlank()) ? fallback : value;
	}

	private static ConnectionFactory factory() {
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost(HOST);
		factory.setPort(PORT);
		factory.setUsername(env("ERGATE_RABBITMQ_USER", "guest"));
		factory.setPassword(env("ERGATE_RABBITMQ_PASSWORD", "guest"));
		return factory;
	}

	@AfterEach
	void deleteQueues() throws Exception {
		try (Connection connection = factory().newConnection("ergate-test-cleanup")) {
			for (String queue : this.queues) {
				List<String> names = new ArrayList<>(List.of(queue, queue + ".dlq"));
				for (long bucket = 16; bucket <= (1L << 25); bucket <<= 1) {
					names.add(queue + ".delay." + bucket);
				}
				for (String name : names) {
					try {
						Channel channel = connection.createChannel();
						channel.queueDelete(name);
						channel.close();
					}
					catch (IOException ex) {
						// absent
					}
				}
			}
		}
	}

	@Test
	void pythonJobsRunOnJavaWorkersAndEveryStateJavaRecordsValidatesInPython() throws Exception {
		List<JsonNode> lines = Python.produce(InteropCases.WORKFLOW, "ergate_");
		InteropCases.assertJavaReadsEveryPythonStatus(this.mapper, lines);
		InteropCases.RecordingStore store = new InteropCases.RecordingStore();
		InteropCases.StepStarts starts = new InteropCases.StepStarts();
		this.queues.add(this.queueName);
		try (RabbitJobQueue queue = RabbitJobQueue.builder(factory()).queue(this.queueName).concurrency(2)
			.jsonMapper(this.mapper).build()) {
			publishAsPythonSays(lines);
			Ergate app = Ergate.builder(queue, store).listener(starts).build();
			app.registerWorkflow(InteropCases.workflow());
			app.start(2);
			// and a job a Java client schedules: recorded SCHEDULED until it is due
			app.submit(Job.builder(InteropCases.WORKFLOW).id("java-scheduled").initialInputValue(20)
				.requestedStartTime(Instant.now().plusSeconds(1)).build());
			try {
				InteropCases.await(() -> store.latest.containsKey("java-scheduled")
						&& store.latest.get("java-scheduled").status().isFinal() && lines.stream()
					.filter((line) -> ENDS_AS.containsKey(caseOf(line)))
					.allMatch((line) -> store.latest.containsKey(idOf(line))
							&& store.latest.get(idOf(line)).status().isFinal()), Duration.ofSeconds(60), store.latest);
			}
			finally {
				assertThat(app.stop(Duration.ofSeconds(10))).isTrue();
			}
			assertThat(queue.depth()).as("jobs left on " + this.queueName).isZero();
			// the finished jobs Python wrote: dead-lettered with their reason, nothing else
			assertThat(queue.deadLettered()).as("jobs dead-lettered").isEqualTo(InteropCases.finishedCases());
		}
		Map<String, Job> finals = new LinkedHashMap<>();
		for (JsonNode line : lines) {
			Job state = store.latest.get(idOf(line));
			if (ENDS_AS.containsKey(caseOf(line))) {
				finals.put(caseOf(line), state);
			}
			else {
				assertThat(state).as("a %s job is not run again", caseOf(line)).isNull();
			}
		}
		InteropCases.assertOutcomes(finals);
		assertScheduledDidNotRunEarly(lines, starts);
		assertThat(store.latest.get("java-scheduled").status()).isEqualTo(JobStatus.COMPLETED);
		assertThat(store.latest.get("java-scheduled").lastReturnValue()).isEqualTo(41);

		// Java to Python: every state Java recorded, as the job JSON a Python state store receives
		List<JsonNode> inputs = new ArrayList<>();
		List<JobStatus> statuses = new ArrayList<>();
		for (Job state : store.states) {
			inputs.add(InteropCases.input("message", this.mapper.writeValueAsString(state)));
			statuses.add(state.status());
		}
		assertThat(EnumSet.copyOf(statuses)).containsExactlyInAnyOrderElementsOf(InteropCases.SEED_STATUSES);
		InteropCases.assertPythonReads(inputs, statuses);
	}

	@Test
	void aPythonConsumerReadsEveryJobJavaPuts() throws Exception {
		String other = this.queueName + "-java";
		this.queues.add(other);
		List<Job> jobs = InteropCases.oneJobPerStatus("java-");
		List<JsonNode> inputs = new ArrayList<>();
		try (RabbitJobQueue queue = RabbitJobQueue.builder(factory()).queue(other).jsonMapper(this.mapper).build()) {
			for (Job job : jobs) {
				queue.put(job);
			}
		}
		try (Connection connection = factory().newConnection("ergate-test-python-read");
				Channel channel = connection.createChannel()) {
			GetResponse response;
			while ((response = channel.basicGet(other, true)) != null) {
				assertThat(response.getProps().getContentType()).isEqualTo("application/json");
				inputs.add(InteropCases.input("message", new String(response.getBody(), StandardCharsets.UTF_8)));
			}
		}
		assertThat(inputs).hasSize(jobs.size());
		InteropCases.assertPythonReads(inputs, jobs.stream().map(Job::status).toList());
		JsonNode scheduled = Python.validate(List.of(inputs.get(JobStatus.SCHEDULED.ordinal()))).get(0);
		assertThat(scheduled.get("requested_start_time").asString())
			.as("Python keeps microseconds of Java's nanoseconds")
			.isEqualTo("2020-01-31T09:30:00.123456+00:00");
	}

	private void publishAsPythonSays(List<JsonNode> lines) throws Exception {
		try (Connection connection = factory().newConnection("ergate-test-python-producer");
				Channel channel = connection.createChannel()) {
			channel.confirmSelect();
			for (JsonNode line : lines) {
				JsonNode properties = line.get("rabbitmq").get("properties");
				Map<String, Object> headers = new HashMap<>();
				if (properties.has("headers")) {
					properties.get("headers").properties().forEach((e) -> headers.put(e.getKey(), e.getValue().asString()));
				}
				AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
					.contentType(properties.get("content_type").asString())
					.contentEncoding(properties.has("content_encoding") ? properties.get("content_encoding").asString()
							: null)
					.deliveryMode(properties.get("delivery_mode").asInt())
					.messageId(properties.has("message_id") ? properties.get("message_id").asString() : null)
					.headers(headers)
					.build();
				channel.basicPublish("", this.queueName, true, props,
						line.get("rabbitmq").get("body").asString().getBytes(StandardCharsets.UTF_8));
			}
			channel.waitForConfirmsOrDie(10_000);
		}
	}

	static void assertScheduledDidNotRunEarly(List<JsonNode> lines, InteropCases.StepStarts starts) {
		JsonNode scheduled = lines.stream().filter((line) -> caseOf(line).equals("scheduled")).findFirst().orElseThrow();
		Instant requested = Instant.parse(scheduled.get("job").get("requested_start_time").asString());
		assertThat(starts.starts.get(idOf(scheduled))).isNotEmpty()
			.allSatisfy((start) -> assertThat(start).isAfterOrEqualTo(requested));
	}

}
