package io.ergate.internal.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.ergate.Job;
import io.ergate.JobStatus;
import io.ergate.JobValidationException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The job codec's short paths give the same results as the general ones.
 */
class JobJsonFastPathTests {

	private final JsonMapper mapper = JsonMapper.builder().build();

	@Test
	void progressWithTwoDecimalsIsWrittenAsDoubleToStringWrites() {
		char[] text = new char[6];
		for (int hundredths = 0; hundredths <= 10_000; hundredths++) {
			double percent = hundredths / 100.0;
			int length = JobJsonSerializer.percentText(percent, text);
			assertThat(new String(text, 0, length)).as("%s", percent).isEqualTo(Double.toString(percent));
		}
	}

	@Test
	void otherProgressValuesTakeTheGeneralPathAndReadBackExactly() {
		char[] text = new char[6];
		for (double percent : new double[] { -0.0, 33.333, 1e-5, 99.999, 0.005, Math.nextUp(50.0), 100.01, -1.0,
				Double.NaN }) {
			assertThat(JobJsonSerializer.percentText(percent, text)).as("%s", percent).isEqualTo(-1);
		}
		for (double percent : new double[] { -0.0, 0.0, 33.333, 1e-5, Math.nextUp(50.0), 12.5, 100.0 }) {
			Job job = Job.builder("wf").percentCompleted(percent).build();
			String json = this.mapper.writeValueAsString(job);
			assertThat(json).contains("\"percent_completed\":" + Double.toString(percent) + ",");
			Job read = this.mapper.readValue(json, Job.class);
			assertThat(Double.compare(read.percentCompleted(), percent)).as("%s", percent).isZero();
			assertThat(read).isEqualTo(job);
		}
	}

	@Test
	void progressIsANumberForNonTextualWritersToo() {
		Job job = Job.builder("wf").percentCompleted(33.33).stepsCompleted(1).build();
		JsonNode tree = this.mapper.valueToTree(job);
		assertThat(tree.get("percent_completed").isDouble()).isTrue();
		assertThat(tree.get("percent_completed").doubleValue()).isEqualTo(33.33);
		Map<?, ?> map = this.mapper.convertValue(job, Map.class);
		assertThat(map.get("percent_completed")).isEqualTo(33.33);
		assertThat(this.mapper.convertValue(map, Job.class)).isEqualTo(job);
	}

	@Test
	void payloadsOfEveryKindAreWrittenAsTheMapperWritesThem() {
		List<Object> values = new ArrayList<>(List.of("text with \"quotes\" and \u00e9", 7, -7, Integer.MIN_VALUE,
				Long.MAX_VALUE, true, false, 2.5, new BigInteger("123456789012345678901234567890"),
				new BigDecimal("3.141592653589793238462643383279"), List.of(1, "a"), Map.of("k", List.of(true))));
		values.add(null);
		for (Object value : values) {
			Job job = Job.builder("wf").id(value).initialInputValue(value).lastReturnValue(value).userContext(value)
				.build();
			String expected = this.mapper.writeValueAsString(value);
			String json = this.mapper.writeValueAsString(job);
			assertThat(json).startsWith("{\"id\":" + expected + ",")
				.contains("\"initial_input_value\":" + expected + ",\"last_return_value\":" + expected + ",")
				.contains("\"user_context\":" + expected + ",");
			assertThat(this.mapper.readValue(json, Job.class)).isEqualTo(job);
		}
	}

	@Test
	void startTimesAreWrittenAsInstantToStringWrites() {
		Random random = new Random(42);
		List<Instant> instants = new ArrayList<>(List.of(Instant.EPOCH, Instant.parse("2026-01-31T09:30:00Z"),
				Instant.parse("0000-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.999999999Z"),
				Instant.parse("1969-12-31T23:59:59.5Z"), Instant.parse("2024-02-29T12:00:00.000001Z"),
				Instant.parse("2024-02-29T12:00:00.120Z"), Instant.parse("2024-02-29T12:00:00.000000100Z"),
				Instant.parse("-0001-12-31T23:59:59Z"), Instant.parse("+10000-01-01T00:00:00Z"), Instant.MIN,
				Instant.MAX));
		for (int i = 0; i < 10_000; i++) {
			long seconds = random.nextLong() % 253_402_300_800L;
			int nano = switch (i % 4) {
				case 0 -> 0;
				case 1 -> random.nextInt(1000) * 1_000_000;
				case 2 -> random.nextInt(1_000_000) * 1000;
				default -> random.nextInt(1_000_000_000);
			};
			instants.add(Instant.ofEpochSecond(seconds, nano));
		}
		for (Instant instant : instants) {
			assertThat(IsoInstant.format(instant)).isEqualTo(instant.toString());
		}
		Job job = Job.builder("wf").requestedStartTime(Instant.parse("2026-01-31T09:30:00.250Z")).build();
		String json = this.mapper.writeValueAsString(job);
		assertThat(json).contains("\"requested_start_time\":\"2026-01-31T09:30:00.250Z\"");
		assertThat(this.mapper.readValue(json, Job.class)).isEqualTo(job);
	}

	@Test
	void startTimesAreReadAsTheJavaTimeParsersReadThem() {
		for (String text : new String[] { "2026-01-31T09:30:00Z", "2026-01-31T09:30:00.5Z", "2026-01-31T09:30:00.123456789Z",
				"2026-05-01T10:00:00+02:00", "2026-05-01T10:00:00.25-05:30", "2026-05-01T00:00:00+18:00",
				"2024-02-29T23:59:59-18:00", "1969-12-31T23:59:59.999Z", "0000-01-01T00:00:00Z" }) {
			assertThat(IsoInstant.parse(text)).as(text).isEqualTo(OffsetDateTime.parse(text).toInstant());
		}
		for (String text : new String[] { "2026-05-01T10:00:00", "2026-05-01T10:00:00.5", "1970-01-01T00:00:00.000000001" }) {
			assertThat(IsoInstant.parse(text)).as(text).isEqualTo(LocalDateTime.parse(text).toInstant(ZoneOffset.UTC));
		}
	}

	@Test
	void otherStartTimeShapesAreLeftToTheJavaTimeParsers() {
		for (String text : new String[] { "2026-05-01T10:00Z", "2026-05-01t10:00:00z", "2026-05-01T10:00:00+02:00:30",
				"2026-05-01T10:00:00.Z", "2026-05-01T10:00:00.1234567891Z", "2026-02-30T10:00:00Z",
				"2026-13-01T10:00:00Z", "2026-05-01T24:00:00Z", "2026-05-01T10:60:00Z", "2026-05-01T10:00:60Z",
				"2026-05-01T10:00:00+19:00", "+12026-05-01T10:00:00Z", "next tuesday", "2026-05-01 10:00:00Z",
				"2026-05-01T10:00:00+0200" }) {
			assertThat(IsoInstant.parse(text)).as(text).isNull();
		}
		assertThat(this.mapper.readValue("{\"workflow_name\": \"wf\", \"requested_start_time\": \"2026-05-01T10:00Z\"}",
				Job.class).requestedStartTime()).isEqualTo(Instant.parse("2026-05-01T10:00:00Z"));
		assertThatExceptionOfType(JobValidationException.class)
			.isThrownBy(() -> this.mapper.readValue("{\"workflow_name\": \"wf\", \"requested_start_time\": "
					+ "\"2026-02-30T10:00:00Z\"}", Job.class))
			.satisfies((ex) -> assertThat(ex.violations()).extracting(JobValidationException.Violation::field)
				.containsExactly("requested_start_time"));
	}

	@Test
	void namesReadAgainAreTheSameStringAndDistinctNamesStayDistinct() {
		Job first = this.mapper.readValue("{\"workflow_name\": \"orders\", \"step_name\": \"ship\"}", Job.class);
		Job second = this.mapper.readValue("{\"workflow_name\": \"orders\", \"step_name\": \"ship\"}", Job.class);
		assertThat(second.workflowName()).isSameAs(first.workflowName());
		assertThat(second.stepName()).isSameAs(first.stepName());
		for (int i = 0; i < 5_000; i++) {
			String name = "workflow_" + i + "_\u00e9\\\"";
			String json = this.mapper.writeValueAsString(Job.builder(name).stepName("s" + (i % 7)).build());
			Job job = this.mapper.readValue(json, Job.class);
			assertThat(job.workflowName()).isEqualTo(name);
			assertThat(job.stepName()).isEqualTo("s" + (i % 7));
		}
		String longName = "w".repeat(200);
		assertThat(this.mapper.readValue("{\"workflow_name\": \"" + longName + "\"}", Job.class).workflowName())
			.isEqualTo(longName);
		assertThatExceptionOfType(JobValidationException.class)
			.isThrownBy(() -> this.mapper.readValue("{\"workflow_name\": \"\", \"step_name\": \"\"}", Job.class))
			.withMessageContaining("workflow_name");
	}

	@Test
	void statusNamesInAnyCaseOrSpacingAreStillRead() {
		assertThat(this.mapper.readValue("{\"workflow_name\": \"wf\", \"status\": \" running \"}", Job.class).status())
			.isEqualTo(JobStatus.RUNNING);
		assertThat(this.mapper.readValue("{\"workflow_name\": \"wf\", \"status\": \"Failed\"}", Job.class).status())
			.isEqualTo(JobStatus.FAILED);
		assertThat(this.mapper.readValue("{\"workflow_name\": \"wf\", \"status\": \"3\"}", Job.class).status())
			.isEqualTo(JobStatus.COMPLETED);
		assertThatExceptionOfType(JobValidationException.class)
			.isThrownBy(() -> this.mapper.readValue("{\"workflow_name\": \"wf\", \"status\": \"\"}", Job.class))
			.withMessageContaining("status");
	}

	@Test
	void fieldsAreReadInAnyOrderWithUnknownOnesAnywhere() {
		Job job = Job.builder("wf").id(7).stepName("b").status(JobStatus.RUNNING).stepsCompleted(1)
			.percentCompleted(50.0).initialInputValue("in").lastReturnValue(List.of(1)).userContext(Map.of("u", 1))
			.requestedStartTime(Instant.parse("2026-01-31T09:30:00Z")).metadata("k", "v").build();
		String inOrder = this.mapper.writeValueAsString(job);
		String[] shuffled = {
				"{\"metadata\": {\"k\": \"v\"}, \"x\": 1, \"requested_start_time\": \"2026-01-31T09:30:00Z\", "
						+ "\"user_context\": {\"u\": 1}, \"exception_traceback\": null, \"last_return_value\": [1], "
						+ "\"initial_input_value\": \"in\", \"percent_completed\": 50.0, \"steps_completed\": 1, "
						+ "\"status\": \"RUNNING\", \"step_name\": \"b\", \"workflow_name\": \"wf\", \"id\": 7, \"y\": [{}]}",
				inOrder.replace("{\"id\":7,", "{\"first\":{\"id\":8},\"id\":7,").replace("}}", "},\"last\":null}"),
				inOrder.replace(",", " ,\n  ").replace("\":", "\" : "),
				inOrder.replace("\"step_name\":\"b\",", "").replace("\"metadata\"", "\"step_name\":\"b\",\"metadata\""),
				inOrder.replace("\"id\":7", "\"id\":6,\"id\":7") };
		for (String json : shuffled) {
			assertThat(this.mapper.readValue(json, Job.class)).as(json).isEqualTo(job);
		}
		assertThat(this.mapper.readValue("{\"metadata\": {}, \"workflow_name\": \"wf\", \"zz\": 1}", Job.class))
			.isEqualTo(Job.builder("wf").build());
	}

}
