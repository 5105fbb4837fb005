package io.ergate;

import java.util.Map;

import io.ergate.JobJsonFormat.StatusFormat;
import io.ergate.JobJsonFormat.StatusNumbering;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The status of the job JSON: integer codes or names, in either numbering of the Python Ergate.
 */
class JobJsonFormatTests {

	private final JsonMapper plain = JsonMapper.builder().build();

	private static final Map<JobStatus, Integer> QUEUED_FIRST = Map.of(JobStatus.QUEUED, 1, JobStatus.RUNNING, 2,
			JobStatus.COMPLETED, 3, JobStatus.SCHEDULED, 4, JobStatus.FAILED, 5, JobStatus.ABORTED, 6);

	private static final Map<JobStatus, Integer> SCHEDULED_FIRST = Map.of(JobStatus.SCHEDULED, 1, JobStatus.QUEUED, 2,
			JobStatus.RUNNING, 3, JobStatus.COMPLETED, 4, JobStatus.FAILED, 5, JobStatus.ABORTED, 6, JobStatus.PENDING, 7,
			JobStatus.CANCELLING, 8, JobStatus.CANCELLED, 9);

	@Test
	void numberingsAreThoseOfThePythonErgateVersions() {
		for (JobStatus status : JobStatus.values()) {
			// the seed era's numbering has no code for the statuses added later: they are written as names
			assertThat(StatusNumbering.QUEUED_FIRST.code(status)).as("%s", status)
				.isEqualTo(QUEUED_FIRST.getOrDefault(status, 0));
			assertThat(StatusNumbering.SCHEDULED_FIRST.code(status)).as("%s", status)
				.isEqualTo(SCHEDULED_FIRST.get(status));
			if (QUEUED_FIRST.containsKey(status)) {
				assertThat(StatusNumbering.QUEUED_FIRST.status(QUEUED_FIRST.get(status))).isEqualTo(status);
			}
			assertThat(StatusNumbering.SCHEDULED_FIRST.status(SCHEDULED_FIRST.get(status))).isEqualTo(status);
			assertThat(StatusNumbering.SCHEDULED_FIRST.code(status)).isEqualTo(status.code());
		}
		assertThat(StatusNumbering.QUEUED_FIRST.status(7)).isNull();
		assertThat(StatusNumbering.SCHEDULED_FIRST.status(7)).isEqualTo(JobStatus.PENDING);
		assertThat(StatusNumbering.SCHEDULED_FIRST.status(10)).isNull();
		assertThat(StatusNumbering.SCHEDULED_FIRST.status(0)).isNull();
	}

	@Test
	void aMapperWithoutAFormatWritesQueuedFirstCodes() {
		assertThat(JobJsonFormat.of(this.plain)).isSameAs(JobJsonFormat.DEFAULT);
		assertThat(JobJsonFormat.DEFAULT.statusFormat()).isEqualTo(StatusFormat.CODE);
		assertThat(JobJsonFormat.DEFAULT.statusNumbering()).isEqualTo(StatusNumbering.QUEUED_FIRST);
		for (JobStatus status : JobStatus.values()) {
			Job job = Job.builder("wf").status(status).build();
			String written = QUEUED_FIRST.containsKey(status) ? String.valueOf(QUEUED_FIRST.get(status))
					: "\"" + status.name() + "\"";
			assertThat(this.plain.writeValueAsString(job)).contains("\"status\":" + written + ",");
			assertThat(JsonMapper.shared().writeValueAsString(job)).contains("\"status\":" + written + ",");
			assertThat(this.plain.readValue(this.plain.writeValueAsString(job), Job.class)).isEqualTo(job);
		}
	}

	@Test
	void everyFormatWritesAndReadsEveryStatus() {
		for (StatusNumbering numbering : StatusNumbering.values()) {
			JsonMapper codes = JobJsonFormat.of(StatusFormat.CODE, numbering).applyTo(this.plain);
			JsonMapper names = JobJsonFormat.of(StatusFormat.NAME, numbering).applyTo(this.plain);
			for (JobStatus status : JobStatus.values()) {
				Job job = Job.builder("wf").id("j").status(status).stepName("s").build();
				String byCode = codes.writeValueAsString(job);
				String byName = names.writeValueAsString(job);
				assertThat(byCode).contains("\"status\":" + ((numbering.code(status) > 0)
						? String.valueOf(numbering.code(status)) : "\"" + status.name() + "\"") + ",");
				assertThat(byName).contains("\"status\":\"" + status.name() + "\",");
				// each reads its own, the other's, and names whatever the numbering
				assertThat(codes.readValue(byCode, Job.class)).isEqualTo(job);
				assertThat(codes.readValue(byName, Job.class)).isEqualTo(job);
				assertThat(names.readValue(byCode, Job.class)).isEqualTo(job);
				assertThat(names.readValue(byName, Job.class)).isEqualTo(job);
				if (numbering.code(status) > 0) {
					assertThat(codes.readValue("{\"workflow_name\": \"wf\", \"status\": \"" + numbering.code(status)
							+ "\"}", Job.class).status()).isEqualTo(status);
				}
			}
		}
	}

	@Test
	void aDefaultPythonJobIsQueuedNotScheduled() {
		// Job(workflow_name="wf").model_dump(mode="json") of the seed era's model
		String python = "{\"id\": null, \"workflow_name\": \"wf\", \"step_name\": null, \"status\": 1, "
				+ "\"steps_completed\": 0, \"percent_completed\": 0.0, \"initial_input_value\": null, "
				+ "\"last_return_value\": null, \"exception_traceback\": null, \"user_context\": null, "
				+ "\"requested_start_time\": null}";
		assertThat(this.plain.readValue(python, Job.class).status()).isEqualTo(JobStatus.QUEUED);
		JsonMapper upstream = JobJsonFormat.of(StatusFormat.CODE, StatusNumbering.SCHEDULED_FIRST)
			.applyTo(this.plain);
		assertThat(upstream.readValue(python, Job.class).status()).isEqualTo(JobStatus.SCHEDULED);
	}

	@Test
	void applyingTheFormatAMapperHasKeepsTheMapperAndOthersKeepItsSettings() {
		JsonMapper names = JobJsonFormat.of(StatusFormat.NAME, StatusNumbering.QUEUED_FIRST).applyTo(this.plain);
		assertThat(names).isNotSameAs(this.plain);
		assertThat(JobJsonFormat.of(StatusFormat.NAME, StatusNumbering.QUEUED_FIRST).applyTo(names)).isSameAs(names);
		assertThat(JobJsonFormat.DEFAULT.applyTo(this.plain)).isSameAs(this.plain);
		assertThat(JobJsonFormat.of(names)).isSameAs(JobJsonFormat.of(StatusFormat.NAME, StatusNumbering.QUEUED_FIRST));
		JsonMapper back = JobJsonFormat.DEFAULT.applyTo(names);
		assertThat(back.writeValueAsString(Job.builder("wf").build())).contains("\"status\":1,");
		// the plain mapper is untouched
		assertThat(this.plain.writeValueAsString(Job.builder("wf").build())).contains("\"status\":1,");
	}

	@Test
	void oneCallMayChooseAnotherFormat() {
		Job job = Job.builder("wf").status(JobStatus.COMPLETED).build();
		String json = this.plain.writer()
			.withAttribute(JobJsonFormat.class, JobJsonFormat.of(StatusFormat.CODE, StatusNumbering.SCHEDULED_FIRST))
			.writeValueAsString(job);
		assertThat(json).contains("\"status\":4,");
		assertThat(this.plain.readerFor(Job.class)
			.withAttribute(JobJsonFormat.class, JobJsonFormat.of(StatusFormat.CODE, StatusNumbering.SCHEDULED_FIRST))
			.<Job>readValue(json).status()).isEqualTo(JobStatus.COMPLETED);
	}

	@Test
	void aCodeOfAStatusErgateForJavaDoesNotRunIsNamedInTheReason() {
		JsonMapper upstream = JobJsonFormat.of(StatusFormat.CODE, StatusNumbering.SCHEDULED_FIRST)
			.applyTo(this.plain);
		assertThatExceptionOfType(JobValidationException.class)
			.isThrownBy(() -> upstream.readValue("{\"workflow_name\": \"wf\", \"status\": 10}", Job.class))
			.withMessageContaining("1 (SCHEDULED), 2 (QUEUED), 3 (RUNNING), 4 (COMPLETED), 5 (FAILED), 6 (ABORTED), "
					+ "7 (PENDING), 8 (CANCELLING), 9 (CANCELLED)")
			.withMessageContaining("(was 10)");
		assertThatExceptionOfType(JobValidationException.class)
			.isThrownBy(() -> this.plain.readValue("{\"workflow_name\": \"wf\", \"status\": 7}", Job.class))
			.withMessageContaining("status must be a status code of the queued-first numbering, 1 (QUEUED), "
					+ "2 (RUNNING), 3 (COMPLETED), 4 (SCHEDULED), 5 (FAILED), 6 (ABORTED), or a status name")
			.withMessageContaining("(was 7)");
	}

}
