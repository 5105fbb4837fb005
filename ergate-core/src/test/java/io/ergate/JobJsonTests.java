package io.ergate;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class JobJsonTests {

	private final JsonMapper mapper = JsonMapper.builder().build();

	@Test
	void workflowNameAloneIsAValidNewJobWithTheSeedDefaults() {
		Job job = this.mapper.readValue("{\"workflow_name\": \"my_first_workflow\"}", Job.class);
		assertThat(job.workflowName()).isEqualTo("my_first_workflow");
		assertThat(job.id()).isNull();
		assertThat(job.stepName()).isNull();
		assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
		assertThat(job.stepsCompleted()).isZero();
		assertThat(job.percentCompleted()).isZero();
		assertThat(job.initialInputValue()).isNull();
		assertThat(job.lastReturnValue()).isNull();
		assertThat(job.exceptionTraceback()).isNull();
		assertThat(job.userContext()).isNull();
		assertThat(job.requestedStartTime()).isNull();
		assertThat(job.metadata()).isEmpty();
	}

	@Test
	void writesEveryAttributeInSnakeCase() {
		Job job = Job.builder("wf").id("job-1").stepName("step_2").status(JobStatus.RUNNING).stepsCompleted(1)
			.percentCompleted(33.33).initialInputValue(21).lastReturnValue(22).userContext(Map.of("user", "ana"))
			.requestedStartTime(Instant.parse("2026-01-31T09:30:00Z")).build();
		String json = this.mapper.writeValueAsString(job);
		assertThat(json).isEqualTo("{\"id\":\"job-1\",\"workflow_name\":\"wf\",\"step_name\":\"step_2\","
				+ "\"status\":2,\"steps_completed\":1,\"percent_completed\":33.33,\"initial_input_value\":21,"
				+ "\"last_return_value\":22,\"exception_traceback\":null,\"user_context\":{\"user\":\"ana\"},"
				+ "\"requested_start_time\":\"2026-01-31T09:30:00Z\"}");
		assertThat(this.mapper.readValue(json, Job.class)).isEqualTo(job);
	}

	@Test
	void statusIsReadFromItsNameOrThePythonCode() {
		for (JobStatus status : JobStatus.values()) {
			int code = JobJsonFormat.StatusNumbering.QUEUED_FIRST.code(status);
			String byCode = (code > 0) ? "{\"workflow_name\": \"wf\", \"status\": " + code + "}"
					: "{\"workflow_name\": \"wf\", \"status\": \"" + status.name() + "\"}";
			String byName = "{\"workflow_name\": \"wf\", \"status\": \"" + status.name() + "\"}";
			assertThat(this.mapper.readValue(byCode, Job.class).status()).isEqualTo(status);
			assertThat(this.mapper.readValue(byName, Job.class).status()).isEqualTo(status);
		}
		assertThat(JobStatus.COMPLETED.isFinal()).isTrue();
		assertThat(JobStatus.FAILED.isFinal()).isTrue();
		assertThat(JobStatus.ABORTED.isFinal()).isTrue();
		assertThat(JobStatus.QUEUED.isFinal()).isFalse();
		assertThat(JobStatus.RUNNING.isFinal()).isFalse();
		assertThat(JobStatus.SCHEDULED.isFinal()).isFalse();
	}

	@Test
	void unknownFieldsAreIgnoredAndMetadataTravels() {
		Job job = this.mapper.readValue("{\"workflow_name\": \"wf\", \"colour\": {\"deep\": [1, 2]}, "
				+ "\"metadata\": {\"traceparent\": \"00-abc-def-01\"}}", Job.class);
		assertThat(job.metadata()).containsEntry("traceparent", "00-abc-def-01");
		assertThat(this.mapper.writeValueAsString(job)).contains("\"metadata\":{\"traceparent\":\"00-abc-def-01\"}");
	}

	@Test
	void payloadsHoldAnyJsonValueWithoutLoss() {
		String json = "{\"id\": 12345678901234567890123, \"workflow_name\": \"wf\", "
				+ "\"initial_input_value\": 3.141592653589793238462643383279, "
				+ "\"last_return_value\": [1, 2.5, \"x\", null, true, {\"a\": {\"b\": []}}], "
				+ "\"user_context\": {\"big\": 9007199254740993, \"small\": 7}}";
		Job job = this.mapper.readValue(json, Job.class);
		assertThat(job.id()).isEqualTo(new BigInteger("12345678901234567890123"));
		assertThat(job.initialInputValue()).isEqualTo(new BigDecimal("3.141592653589793238462643383279"));
		assertThat(job.lastReturnValue()).isEqualTo(java.util.Arrays.asList(1, 2.5, "x", null, true,
				Map.of("a", Map.of("b", List.of()))));
		assertThat(job.userContext()).isEqualTo(Map.of("big", 9007199254740993L, "small", 7));
		Job again = this.mapper.readValue(this.mapper.writeValueAsString(job), Job.class);
		assertThat(again).isEqualTo(job);
	}

	@Test
	void isoDatesWithAndWithoutOffsetAreRead() {
		assertThat(this.mapper.readValue("{\"workflow_name\": \"wf\", \"requested_start_time\": "
				+ "\"2026-05-01T10:00:00+02:00\"}", Job.class).requestedStartTime())
			.isEqualTo(Instant.parse("2026-05-01T08:00:00Z"));
		assertThat(this.mapper.readValue("{\"workflow_name\": \"wf\", \"requested_start_time\": "
				+ "\"2026-05-01T10:00:00.5\"}", Job.class).requestedStartTime())
			.isEqualTo(Instant.parse("2026-05-01T10:00:00.5Z"));
	}

	@Test
	void valuesAreCastLikeThePydanticModel() {
		Job job = this.mapper.readValue("{\"workflow_name\": \"wf\", \"steps_completed\": \"3\", "
				+ "\"percent_completed\": \"42.5\"}", Job.class);
		assertThat(job.stepsCompleted()).isEqualTo(3);
		assertThat(job.percentCompleted()).isEqualTo(42.5);
	}

	@Test
	void everyBadFieldIsNamedWithItsValueInOneException() {
		String json = "{\"workflow_name\": \"  \", \"steps_completed\": -1, \"percent_completed\": 120.5, "
				+ "\"status\": \"DONE\", \"requested_start_time\": \"next tuesday\"}";
		assertThatExceptionOfType(JobValidationException.class).isThrownBy(() -> this.mapper.readValue(json, Job.class))
			.satisfies((ex) -> {
				assertThat(ex.violations()).extracting(JobValidationException.Violation::field)
					.containsExactlyInAnyOrder("workflow_name", "steps_completed", "percent_completed", "status",
							"requested_start_time");
				assertThat(ex.getMessage()).contains("workflow_name", "\"  \"", "steps_completed", "-1",
						"percent_completed", "120.5", "status", "\"DONE\"", "requested_start_time", "\"next tuesday\"");
			});
	}

	@Test
	void missingWorkflowNameIsNamed() {
		assertThatExceptionOfType(JobValidationException.class)
			.isThrownBy(() -> this.mapper.readValue("{\"id\": 1}", Job.class))
			.withMessageContaining("workflow_name is required")
			.withMessageContaining("was missing");
	}

	@Test
	void wrongTypesAreNamedNotThrownAsJacksonErrors() {
		assertThatExceptionOfType(JobValidationException.class)
			.isThrownBy(() -> this.mapper.readValue("{\"workflow_name\": 5, \"steps_completed\": 1.5, "
					+ "\"status\": 9, \"step_name\": [1]}", Job.class))
			.satisfies((ex) -> assertThat(ex.violations()).extracting(JobValidationException.Violation::field)
				.containsExactlyInAnyOrder("workflow_name", "steps_completed", "status", "step_name"));
		assertThatExceptionOfType(JobValidationException.class)
			.isThrownBy(() -> this.mapper.readValue("[1, 2]", Job.class))
			.withMessageContaining("must be a JSON object");
	}

	@Test
	void builderValidatesToo() {
		assertThatExceptionOfType(JobValidationException.class)
			.isThrownBy(() -> Job.builder("").stepsCompleted(-2).percentCompleted(Double.NaN).build())
			.withMessageContaining("workflow_name")
			.withMessageContaining("steps_completed")
			.withMessageContaining("percent_completed");
	}

	@Test
	void jobsInsideOtherValuesBindToo() {
		List<Job> jobs = this.mapper.readValue("[{\"workflow_name\": \"a\"}, {\"workflow_name\": \"b\", \"status\": 3}]",
				this.mapper.getTypeFactory().constructCollectionType(List.class, Job.class));
		assertThat(jobs).extracting(Job::workflowName).containsExactly("a", "b");
		assertThat(jobs.get(1).status()).isEqualTo(JobStatus.COMPLETED);
	}

}
