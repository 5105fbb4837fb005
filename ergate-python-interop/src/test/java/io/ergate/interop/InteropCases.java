package io.ergate.interop;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import io.ergate.AbortJob;
import io.ergate.Job;
import io.ergate.JobListener;
import io.ergate.JobStatus;
import io.ergate.StateStore;
import io.ergate.Workflow;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The workflow and the cases the Python program writes, what each must read as and end as, and the
 * checks both transports share.
 */
final class InteropCases {

	static final String WORKFLOW = "interop";

	/** The status each case's Python job has, as Java must read it. */
	static final Map<String, JobStatus> READ_AS = new LinkedHashMap<>();

	/**
	 * How many cases Python writes already finished: Java dead-letters them with the reason, never runs
	 * them.
	 */
	static long finishedCases() {
		return READ_AS.entrySet().stream()
			.filter((entry) -> entry.getValue().isFinal() && !ENDS_AS.containsKey(entry.getKey()))
			.count();
	}

	/** The final status each runnable case must reach on Java workers; the others are not run. */
	static final Map<String, JobStatus> ENDS_AS = new LinkedHashMap<>();

	static {
		READ_AS.put("new", JobStatus.QUEUED);
		READ_AS.put("new_minimal", JobStatus.QUEUED);
		READ_AS.put("mid_flight", JobStatus.QUEUED);
		READ_AS.put("running", JobStatus.RUNNING);
		READ_AS.put("scheduled", JobStatus.SCHEDULED);
		READ_AS.put("fails_on_java", JobStatus.QUEUED);
		READ_AS.put("aborts_on_java", JobStatus.QUEUED);
		READ_AS.put("completed", JobStatus.COMPLETED);
		READ_AS.put("failed", JobStatus.FAILED);
		READ_AS.put("aborted", JobStatus.ABORTED);
		ENDS_AS.put("new", JobStatus.COMPLETED);
		ENDS_AS.put("new_minimal", JobStatus.COMPLETED);
		ENDS_AS.put("mid_flight", JobStatus.COMPLETED);
		ENDS_AS.put("running", JobStatus.COMPLETED);
		ENDS_AS.put("scheduled", JobStatus.COMPLETED);
		ENDS_AS.put("fails_on_java", JobStatus.FAILED);
		ENDS_AS.put("aborts_on_java", JobStatus.ABORTED);
	}

	private InteropCases() {
	}

	/** (in + 1) * 2 - 1: 41 for 20; 13 fails the job, 66 aborts it. */
	static Workflow workflow() {
		return Workflow.builder(WORKFLOW).step("step_1", Integer.class, (in) -> {
			int value = (in != null) ? in : 0;
			if (value == 13) {
				throw new IllegalStateException("13 is unlucky");
			}
			if (value == 66) {
				throw new AbortJob("66 is not allowed");
			}
			return value + 1;
		}).step("step_2", Integer.class, (in) -> in * 2).step("step_3", Integer.class, (in) -> in - 1).build();
	}

	static String caseOf(JsonNode line) {
		return line.get("case").asString();
	}

	static String idOf(JsonNode line) {
		return line.get("job").get("id").asString();
	}

	/**
	 * The statuses of the seed era's Python model (the default numbering has codes for them); the
	 * later PENDING, CANCELLING and CANCELLED are not in it, and Java never puts a job in them on a queue.
	 */
	static final List<JobStatus> SEED_STATUSES = java.util.Arrays.stream(JobStatus.values())
		.filter((status) -> io.ergate.JobJsonFormat.StatusNumbering.QUEUED_FIRST.code(status) > 0)
		.toList();

	/** Python to Java, in the codec: every case's message reads as the status Python gave it. */
	static void assertJavaReadsEveryPythonStatus(JsonMapper mapper, List<JsonNode> lines) {
		assertThat(lines).extracting(InteropCases::caseOf).containsExactlyElementsOf(READ_AS.keySet());
		List<JobStatus> statuses = new ArrayList<>();
		for (JsonNode line : lines) {
			Job job = mapper.readValue(line.get("rabbitmq").get("body").asString(), Job.class);
			assertThat(job.status()).as(caseOf(line)).isEqualTo(READ_AS.get(caseOf(line)));
			assertThat(job.id()).isEqualTo(idOf(line));
			statuses.add(job.status());
		}
		assertThat(statuses).containsAll(SEED_STATUSES);
	}

	/** The final states of the runnable cases: values, steps and reasons. */
	static void assertOutcomes(Map<String, Job> finalByCase) {
		assertThat(finalByCase.keySet()).containsExactlyInAnyOrderElementsOf(ENDS_AS.keySet());
		finalByCase.forEach((name, job) -> {
			assertThat(job.status()).as(name).isEqualTo(ENDS_AS.get(name));
			switch (name) {
				case "new", "mid_flight", "running", "scheduled" -> {
					assertThat(job.lastReturnValue()).as(name).isEqualTo(41);
					assertThat(job.stepsCompleted()).as(name).isEqualTo(3);
					assertThat(job.percentCompleted()).as(name).isEqualTo(100.0);
				}
				case "new_minimal" -> assertThat(job.lastReturnValue()).as(name).isEqualTo(1);
				case "fails_on_java" -> assertThat(job.exceptionTraceback()).as(name).contains("13 is unlucky");
				case "aborts_on_java" -> assertThat(job.exceptionTraceback()).isEqualTo("AbortJob: 66 is not allowed");
				default -> throw new AssertionError(name);
			}
		});
		assertThat(finalByCase.get("mid_flight").userContext()).isEqualTo(Map.of("who", "python"));
	}

	/** Java to Python: every input validates in the Python model, with the status Java gave it. */
	static void assertPythonReads(List<JsonNode> inputs, List<JobStatus> statuses) {
		List<JsonNode> results = Python.validate(inputs);
		for (int i = 0; i < results.size(); i++) {
			JsonNode result = results.get(i);
			assertThat(result.get("ok").asBoolean()).as("Python read %s: %s", inputs.get(i), result).isTrue();
			assertThat(result.get("status").asString()).as("%s", inputs.get(i)).isEqualTo(statuses.get(i).name());
		}
	}

	static ObjectNode input(String kind, Object value) {
		ObjectNode input = JsonMapper.shared().createObjectNode();
		input.put("kind", kind);
		input.putPOJO("value", value);
		return input;
	}

	/** One job in each status of the seed's model, as a Java producer puts them: the scheduled one with a nanosecond start. */
	static List<Job> oneJobPerStatus(String idPrefix) {
		List<Job> jobs = new ArrayList<>();
		for (JobStatus status : SEED_STATUSES) {
			Job.Builder builder = Job.builder(WORKFLOW).id(idPrefix + status).status(status).initialInputValue(20)
				.userContext(Map.of("big", new java.math.BigInteger("123456789012345678901234567890")));
			if (status != JobStatus.QUEUED) {
				builder.stepName("step_2").stepsCompleted(1).percentCompleted(33.33).lastReturnValue(21);
			}
			if (status == JobStatus.SCHEDULED) {
				builder.requestedStartTime(Instant.parse("2020-01-31T09:30:00.123456789Z"));
			}
			if (status == JobStatus.FAILED || status == JobStatus.ABORTED) {
				builder.exceptionTraceback("AbortJob: stop");
			}
			jobs.add(builder.build());
		}
		return jobs;
	}

	static void await(BooleanSupplier condition, Duration timeout, Object state) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("Not done within " + timeout + ": " + state);
			}
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError(ex);
			}
		}
	}

	/** When each job's steps started, to check that a scheduled job did not run early. */
	static final class StepStarts implements JobListener {

		final Map<Object, List<Instant>> starts = new ConcurrentHashMap<>();

		/** The states the engine recorded around each step: RUNNING, then the state after it. */
		final List<Job> states = new CopyOnWriteArrayList<>();

		@Override
		public void onJobRunStart(Job job) {
			this.starts.computeIfAbsent(job.id(), (id) -> new CopyOnWriteArrayList<>()).add(Instant.now());
			this.states.add(job);
		}

		@Override
		public void onJobRunEnd(io.ergate.StepResult result) {
			this.states.add(result.job());
		}

		@Override
		public void onJobRunFailure(io.ergate.StepResult result) {
			this.states.add(result.job());
		}

	}

	/** Every state recorded, in order, and the latest by id. */
	static final class RecordingStore implements StateStore {

		final List<Job> states = new CopyOnWriteArrayList<>();

		final Map<Object, Job> latest = new ConcurrentHashMap<>();

		@Override
		public void update(Job job) {
			this.states.add(job);
			this.latest.put(job.id(), job);
		}

	}

}
