package io.ergate.internal.json;

import java.util.Map;

import io.ergate.Job;
import io.ergate.JobJsonFormat;
import io.ergate.JobStatus;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.SerializableString;
import tools.jackson.core.StreamWriteCapability;
import tools.jackson.core.io.SerializedString;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;

/**
 * Writes a {@link Job} in the original snake_case wire format, every attribute included.
 * <p>
 * It runs once per step on queues that carry jobs as JSON, so it avoids the generic paths: the
 * property names and status names are pre-encoded, the status is written as the mapper's
 * {@link JobJsonFormat} says (an integer code by default), payloads that are {@code null}, strings,
 * integers, longs or booleans are written directly (anything else through the mapper, as a POJO),
 * a progress with at most two decimals is written without {@code Double.toString}, and
 * {@code requested_start_time} without a {@code DateTimeFormatter}. The text is the same as the
 * generic paths would write.
 */
public final class JobJsonSerializer extends ValueSerializer<Job> {

	private static final SerializableString ID = new SerializedString("id");

	private static final SerializableString WORKFLOW_NAME = new SerializedString("workflow_name");

	private static final SerializableString STEP_NAME = new SerializedString("step_name");

	private static final SerializableString STATUS = new SerializedString("status");

	private static final SerializableString STEPS_COMPLETED = new SerializedString("steps_completed");

	private static final SerializableString PERCENT_COMPLETED = new SerializedString("percent_completed");

	private static final SerializableString INITIAL_INPUT_VALUE = new SerializedString("initial_input_value");

	private static final SerializableString LAST_RETURN_VALUE = new SerializedString("last_return_value");

	private static final SerializableString EXCEPTION_TRACEBACK = new SerializedString("exception_traceback");

	private static final SerializableString USER_CONTEXT = new SerializedString("user_context");

	private static final SerializableString REQUESTED_START_TIME = new SerializedString("requested_start_time");

	private static final SerializableString METADATA = new SerializedString("metadata");

	private static final SerializableString[] STATUS_NAMES = new SerializableString[JobStatus.values().length];

	static {
		for (JobStatus status : JobStatus.values()) {
			STATUS_NAMES[status.ordinal()] = new SerializedString(status.name());
		}
	}

	@Override
	public void serialize(Job job, JsonGenerator gen, SerializationContext ctxt) {
		gen.writeStartObject(job);
		gen.writeName(ID);
		writePayload(gen, job.id());
		gen.writeName(WORKFLOW_NAME);
		gen.writeString(job.workflowName());
		gen.writeName(STEP_NAME);
		writeString(gen, job.stepName());
		gen.writeName(STATUS);
		writeStatus(gen, job.status(), JobJsonFormat.of(ctxt));
		gen.writeName(STEPS_COMPLETED);
		gen.writeNumber(job.stepsCompleted());
		gen.writeName(PERCENT_COMPLETED);
		writePercent(gen, job.percentCompleted());
		gen.writeName(INITIAL_INPUT_VALUE);
		writePayload(gen, job.initialInputValue());
		gen.writeName(LAST_RETURN_VALUE);
		writePayload(gen, job.lastReturnValue());
		gen.writeName(EXCEPTION_TRACEBACK);
		writeString(gen, job.exceptionTraceback());
		gen.writeName(USER_CONTEXT);
		writePayload(gen, job.userContext());
		gen.writeName(REQUESTED_START_TIME);
		writeString(gen, (job.requestedStartTime() != null) ? IsoInstant.format(job.requestedStartTime()) : null);
		if (!job.metadata().isEmpty()) {
			gen.writeName(METADATA);
			gen.writeStartObject();
			for (Map.Entry<String, String> entry : job.metadata().entrySet()) {
				gen.writeStringProperty(entry.getKey(), entry.getValue());
			}
			gen.writeEndObject();
		}
		gen.writeEndObject();
	}

	/** As the format says: its code, or its name (also for a status the numbering has no code for). */
	private static void writeStatus(JsonGenerator gen, JobStatus status, JobJsonFormat format) {
		int code = (format.statusFormat() == JobJsonFormat.StatusFormat.CODE) ? format.statusNumbering().code(status)
				: 0;
		if (code > 0) {
			gen.writeNumber(code);
		}
		else {
			gen.writeString(STATUS_NAMES[status.ordinal()]);
		}
	}

	private static void writeString(JsonGenerator gen, @Nullable String value) {
		if (value == null) {
			gen.writeNull();
		}
		else {
			gen.writeString(value);
		}
	}

	/** The common payload types directly; any other value as a POJO, through the mapper's serializers. */
	private static void writePayload(JsonGenerator gen, @Nullable Object value) {
		if (value == null) {
			gen.writeNull();
		}
		else if (value instanceof Integer number) {
			gen.writeNumber(number.intValue());
		}
		else if (value instanceof String text) {
			gen.writeString(text);
		}
		else if (value instanceof Long number) {
			gen.writeNumber(number.longValue());
		}
		else if (value instanceof Boolean flag) {
			gen.writeBoolean(flag);
		}
		else {
			gen.writePOJO(value);
		}
	}

	/**
	 * Writes the progress. The engine rounds it to two decimals, and such a value is written from its
	 * hundredths, as the shortest decimal that reads back as the same double ({@code 33.33},
	 * {@code 100.0}): the text {@code Double.toString} gives, without its cost.
	 */
	static void writePercent(JsonGenerator gen, double percent) {
		char[] text = new char[6];
		int length = percentText(percent, text);
		if (length > 0 && gen.has(StreamWriteCapability.CAN_WRITE_FORMATTED_NUMBERS)) {
			gen.writeNumber(text, 0, length);
		}
		else {
			gen.writeNumber(percent);
		}
	}

	/**
	 * Writes the shortest decimal text of a value from 0.0 to 100.0 with at most two decimals.
	 * @param percent the value
	 * @param text where to write, 6 characters at least
	 * @return the length written, or -1 for any other value (negative zero included)
	 */
	static int percentText(double percent, char[] text) {
		if (!(percent > 0.0 && percent <= 100.0) && Double.doubleToRawLongBits(percent) != 0L) {
			return -1;
		}
		long hundredths = Math.round(percent * 100.0);
		// division is correctly rounded, so this holds exactly when "units.fraction" reads back as percent
		if (hundredths / 100.0 != percent) {
			return -1;
		}
		int units = (int) (hundredths / 100);
		int fraction = (int) (hundredths % 100);
		int length = 0;
		if (units >= 100) {
			text[length++] = (char) ('0' + units / 100);
		}
		if (units >= 10) {
			text[length++] = (char) ('0' + units / 10 % 10);
		}
		text[length++] = (char) ('0' + units % 10);
		text[length++] = '.';
		text[length++] = (char) ('0' + fraction / 10);
		if (fraction % 10 != 0) {
			text[length++] = (char) ('0' + fraction % 10);
		}
		return length;
	}

}
