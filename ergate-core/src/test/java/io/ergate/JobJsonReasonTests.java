package io.ergate;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Every reason a job is not read names the field, the value given and what the field accepts.
 */
class JobJsonReasonTests {

	private final JsonMapper mapper = JsonMapper.builder().build();

	private JobValidationException.Violation only(String fields) {
		String json = "{\"workflow_name\": \"wf\", " + fields + "}";
		try {
			this.mapper.readValue(json, Job.class);
		}
		catch (JobValidationException ex) {
			assertThat(ex.violations()).as(json).hasSize(1);
			return ex.violations().get(0);
		}
		throw new AssertionError("Read without error: " + json);
	}

	@Test
	void aNullWorkflowNameIsNullNotMissing() {
		assertThatExceptionOfType(JobValidationException.class)
			.isThrownBy(() -> this.mapper.readValue("{\"workflow_name\": null}", Job.class))
			.withMessage("Invalid job: workflow_name must be a string: the name of a registered workflow (was null)");
		assertThatExceptionOfType(JobValidationException.class)
			.isThrownBy(() -> this.mapper.readValue("{\"workflow_name\": {\"a\": 1}}", Job.class))
			.withMessage("Invalid job: workflow_name must be a string: the name of a registered workflow "
					+ "(was {\"a\":1})");
		assertThatExceptionOfType(JobValidationException.class)
			.isThrownBy(() -> this.mapper.readValue("{}", Job.class))
			.withMessageContaining("workflow_name is required: the name of a registered workflow (was missing)");
	}

	@Test
	void aStartTimeOutOfRangeNamesTheFieldTheValueAndTheRange() {
		for (String value : new String[] { "1e20", "-1e20", "31556889864403200", "1e400" }) {
			JobValidationException.Violation violation = only("\"requested_start_time\": " + value);
			assertThat(violation.field()).isEqualTo("requested_start_time");
			assertThat(violation.value()).isEqualTo(value);
			assertThat(violation.problem()).contains("ISO-8601", "seconds since 1970-01-01T00:00:00Z from "
					+ Instant.MIN.getEpochSecond() + " to " + Instant.MAX.getEpochSecond());
		}
		JobValidationException.Violation text = only("\"requested_start_time\": \"+1000000000-01-01T00:00:00Z\"");
		assertThat(text.value()).isEqualTo("\"+1000000000-01-01T00:00:00Z\"");
		assertThat(only("\"requested_start_time\": true").value()).isEqualTo("true");
		assertThat(only("\"requested_start_time\": [1]").value()).isEqualTo("[1]");
		Job job = this.mapper.readValue("{\"workflow_name\": \"wf\", \"requested_start_time\": -1.25}", Job.class);
		assertThat(job.requestedStartTime()).isEqualTo(Instant.parse("1969-12-31T23:59:58.750Z"));
	}

	@Test
	void negativeZeroKeepsItsSignInPayloads() {
		Job job = this.mapper.readValue("{\"workflow_name\": \"wf\", \"initial_input_value\": -0.0, "
				+ "\"last_return_value\": [-0.0, 0.0, -0e3], \"user_context\": {\"z\": -0.0}, \"id\": -0.0}",
				Job.class);
		assertThat(job.initialInputValue()).isInstanceOf(Double.class);
		assertThat(Double.doubleToRawLongBits((Double) job.initialInputValue()))
			.isEqualTo(Double.doubleToRawLongBits(-0.0));
		assertThat(job.lastReturnValue()).isEqualTo(List.of(-0.0, 0.0, -0.0));
		assertThat(job.userContext()).isEqualTo(Map.of("z", -0.0));
		assertThat(job.id()).isEqualTo(-0.0);
		assertThat(this.mapper.writeValueAsString(job)).contains("\"initial_input_value\":-0.0",
				"\"last_return_value\":[-0.0,0.0,-0.0]");
	}

	@Test
	void statusReasonsNameTheValueAndEveryAcceptedOne() {
		for (String value : new String[] { "\"DONE\"", "0", "-1", "1.5", "true", "null", "\"\"", "99999999999" }) {
			JobValidationException.Violation violation = only("\"status\": " + value);
			assertThat(violation.field()).isEqualTo("status");
			assertThat(violation.value()).isEqualTo(value);
			assertThat(violation.problem()).contains("1 (QUEUED)", "6 (ABORTED)",
					"SCHEDULED, QUEUED, RUNNING, COMPLETED, FAILED, ABORTED");
		}
		assertThat(only("\"status\": [2]").value()).isEqualTo("[2]");
		assertThat(this.mapper.readValue("{\"workflow_name\": \"wf\", \"status\": 2.0}", Job.class).status())
			.isEqualTo(JobStatus.RUNNING);
	}

	@Test
	void stepsCompletedReasonsNameTheRange() {
		for (String value : new String[] { "-1", "1.5", "\"x\"", "true", "null", "3000000000" }) {
			JobValidationException.Violation violation = only("\"steps_completed\": " + value);
			assertThat(violation.field()).isEqualTo("steps_completed");
			assertThat(violation.value()).isEqualTo(value);
			assertThat(violation.problem()).as(value).containsAnyOf("from 0 to 2147483647", "0 or more");
		}
	}

	@Test
	void percentCompletedReasonsNameTheRange() {
		for (String value : new String[] { "-0.5", "100.01", "\"NaN\"", "\"Infinity\"", "\"half\"", "{}", "null" }) {
			JobValidationException.Violation violation = only("\"percent_completed\": " + value);
			assertThat(violation.field()).isEqualTo("percent_completed");
			assertThat(violation.value()).as(value).isIn(value, "NaN", "Infinity");
			assertThat(violation.problem()).as(value).containsAnyOf("from 0.0 to 100.0", "between 0.0 and 100.0");
		}
	}

	@Test
	void textFieldsAndMetadataNameWhatTheyAccept() {
		JobValidationException.Violation step = only("\"step_name\": [1, 2]");
		assertThat(step.toString()).isEqualTo("step_name must be a string or null (was [1,2])");
		JobValidationException.Violation traceback = only("\"exception_traceback\": 12");
		assertThat(traceback.toString()).isEqualTo("exception_traceback must be a string or null (was 12)");
		JobValidationException.Violation metadata = only("\"metadata\": [\"k\"]");
		assertThat(metadata.toString()).isEqualTo("metadata must be null or an object of string values (was [\"k\"])");
		JobValidationException.Violation longValue = only("\"step_name\": [\"" + "x".repeat(500) + "\"]");
		assertThat(longValue.value()).hasSizeLessThan(200).endsWith("(504 characters)");
	}

	@Test
	void idsOfAnyJsonTypeAreKeptAsPythonsAnyIs() {
		Job job = this.mapper.readValue("{\"workflow_name\": \"wf\", \"id\": {\"tenant\": 1, \"n\": [2]}}", Job.class);
		assertThat(job.id()).isEqualTo(Map.of("tenant", 1, "n", List.of(2)));
		assertThat(this.mapper.readValue(this.mapper.writeValueAsString(job), Job.class)).isEqualTo(job);
	}

	@Test
	void notAnObjectIsNamedWithItsValue() {
		assertThatExceptionOfType(JobValidationException.class)
			.isThrownBy(() -> this.mapper.readValue("[1, 2]", Job.class))
			.withMessage("Invalid job: job must be a JSON object such as {\"workflow_name\": \"my_workflow\"} "
					+ "(was [1,2])");
		assertThatExceptionOfType(JobValidationException.class)
			.isThrownBy(() -> this.mapper.readValue("\"wf\"", Job.class))
			.withMessageContaining("(was \"wf\")");
	}

}
