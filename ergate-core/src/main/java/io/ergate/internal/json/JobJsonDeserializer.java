package io.ergate.internal.json;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.ergate.Ergate;
import io.ergate.Job;
import io.ergate.JobJsonFormat;
import io.ergate.JobStatus;
import io.ergate.JobValidationException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.SerializedString;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;

/**
 * Reads a {@link Job} from the original snake_case wire format, casting values the way the original
 * pydantic model does and reporting every invalid field at once in a
 * {@link JobValidationException}. Unknown fields are ignored.
 * <p>
 * It runs once per step on queues that carry jobs as JSON, so the common shapes take short paths:
 * workflow and step names read again are the same {@code String} instances (no copy, hash already
 * computed), a status spelled as its name is matched without making a string, and an ISO-8601
 * {@code requested_start_time} is read without a {@code DateTimeFormatter}. Anything else takes the
 * general path.
 */
public final class JobJsonDeserializer extends ValueDeserializer<Job> {

	/** Recently read workflow and step names, by hash of their characters; longer names are not kept. */
	private static final int NAME_SLOTS = 512;

	private static final int MAX_NAME_LENGTH = 64;

	/**
	 * Shared by all threads without a lock: a slot holds a reference to an immutable String (safely
	 * published through its final fields), and a lost write only costs a copy later.
	 */
	private static final @Nullable String[] names = new String[NAME_SLOTS];

	private static final JobStatus[] STATUSES = JobStatus.values();

	private static final String NAME_REQUIRED = "must be a string: the name of a registered workflow";

	private static final String STEPS_ACCEPTED = "must be a whole number from 0 to " + Integer.MAX_VALUE;

	private static final String PERCENT_ACCEPTED = "must be a number from 0.0 to 100.0";

	private static final BigDecimal MIN_EPOCH_SECOND = BigDecimal.valueOf(Instant.MIN.getEpochSecond());

	private static final BigDecimal MAX_EPOCH_SECOND = BigDecimal.valueOf(Instant.MAX.getEpochSecond());

	private static final String TIME_ACCEPTED = "must be null, an ISO-8601 date-time such as 2026-01-31T09:30:00Z, "
			+ "or seconds since 1970-01-01T00:00:00Z from " + MIN_EPOCH_SECOND.toPlainString() + " to "
			+ MAX_EPOCH_SECOND.toPlainString();

	/** Longest text of a value quoted in a reason; longer ones are cut. */
	private static final int MAX_QUOTED_LENGTH = 120;

	private static final int ID = 0;

	private static final int WORKFLOW_NAME = 1;

	private static final int STEP_NAME = 2;

	private static final int STATUS = 3;

	private static final int STEPS_COMPLETED = 4;

	private static final int PERCENT_COMPLETED = 5;

	private static final int INITIAL_INPUT_VALUE = 6;

	private static final int LAST_RETURN_VALUE = 7;

	private static final int EXCEPTION_TRACEBACK = 8;

	private static final int USER_CONTEXT = 9;

	private static final int REQUESTED_START_TIME = 10;

	private static final int METADATA = 11;

	/** The fields in the order {@link JobJsonSerializer} writes them, indexed by the constants above. */
	private static final String[] FIELDS = { "id", "workflow_name", "step_name", "status", "steps_completed",
			"percent_completed", "initial_input_value", "last_return_value", "exception_traceback", "user_context",
			"requested_start_time", "metadata" };

	private static final SerializableString[] FIELD_NAMES = new SerializableString[FIELDS.length];

	static {
		for (int i = 0; i < FIELDS.length; i++) {
			FIELD_NAMES[i] = new SerializedString(FIELDS[i]);
		}
	}

	/** @return the index of a known field, or -1 for a field to ignore */
	private static int fieldIndex(String name) {
		for (int i = 0; i < FIELDS.length; i++) {
			if (FIELDS[i].equals(name)) {
				return i;
			}
		}
		return -1;
	}

	@Override
	public Job deserialize(JsonParser p, DeserializationContext ctxt) {
		if (!p.isExpectedStartObjectToken()) {
			throw new JobValidationException(List.of(new JobValidationException.Violation("job", describe(p),
					"must be a JSON object such as {\"workflow_name\": \"my_workflow\"}")));
		}
		Job.Builder builder = Job.builder("");
		builder.workflowName(null);
		List<JobValidationException.Violation> violations = new ArrayList<>(0);
		int expected = 0;
		while (true) {
			int field;
			// nextName(expected) moves to the next token and tells whether it is that name, compared in
			// place: jobs this codec wrote have their fields in this order, and need no name lookup
			boolean inOrder = false;
			if (expected < FIELDS.length) {
				inOrder = p.nextName(FIELD_NAMES[expected]);
			}
			else {
				p.nextToken();
			}
			if (inOrder) {
				field = expected;
			}
			else if (p.currentToken() == JsonToken.PROPERTY_NAME) {
				field = fieldIndex(p.currentName());
			}
			else {
				break;
			}
			if (field >= 0) {
				expected = field + 1;
			}
			JsonToken valueToken = p.nextToken();
			switch (field) {
				case ID -> builder.id(readValue(p));
				case WORKFLOW_NAME -> builder.workflowName(readWorkflowName(p, violations));
				case STEP_NAME -> builder.stepName(readName(p, "step_name", violations));
				case STATUS -> builder.status(readStatus(p, valueToken, JobJsonFormat.of(ctxt), violations));
				case STEPS_COMPLETED -> builder.stepsCompleted(readInt(p, valueToken, "steps_completed", violations));
				case PERCENT_COMPLETED ->
					builder.percentCompleted(readDouble(p, valueToken, "percent_completed", violations));
				case INITIAL_INPUT_VALUE -> builder.initialInputValue(readValue(p));
				case LAST_RETURN_VALUE -> builder.lastReturnValue(readValue(p));
				case EXCEPTION_TRACEBACK -> builder.exceptionTraceback(readString(p, "exception_traceback", violations));
				case USER_CONTEXT -> builder.userContext(readValue(p));
				case REQUESTED_START_TIME -> builder.requestedStartTime(readTime(p, valueToken, violations));
				case METADATA -> builder.metadata(readMetadata(p, violations));
				default -> p.skipChildren();
			}
		}
		try {
			Job job = builder.build();
			if (violations.isEmpty()) {
				return job;
			}
		}
		catch (JobValidationException ex) {
			for (JobValidationException.Violation violation : ex.violations()) {
				if (violations.stream().noneMatch((known) -> known.field().equals(violation.field()))) {
					violations.add(violation);
				}
			}
		}
		throw new JobValidationException(violations);
	}

	private static @Nullable String readString(JsonParser p, String field,
			List<JobValidationException.Violation> violations) {
		JsonToken token = p.currentToken();
		if (token == JsonToken.VALUE_NULL) {
			return null;
		}
		if (token == JsonToken.VALUE_STRING) {
			return p.getString();
		}
		violations.add(new JobValidationException.Violation(field, describe(p), "must be a string or null"));
		return null;
	}

	private static @Nullable String readWorkflowName(JsonParser p, List<JobValidationException.Violation> violations) {
		if (p.currentToken() == JsonToken.VALUE_NULL) {
			violations.add(new JobValidationException.Violation("workflow_name", "null", NAME_REQUIRED));
			return null;
		}
		if (p.currentToken() != JsonToken.VALUE_STRING) {
			violations.add(new JobValidationException.Violation("workflow_name", describe(p), NAME_REQUIRED));
			return null;
		}
		return readName(p, "workflow_name", violations);
	}

	private static @Nullable String readName(JsonParser p, String field,
			List<JobValidationException.Violation> violations) {
		if (p.currentToken() != JsonToken.VALUE_STRING) {
			return readString(p, field, violations);
		}
		int length = p.getStringLength();
		if (length > MAX_NAME_LENGTH) {
			return p.getString();
		}
		char[] chars = p.getStringCharacters();
		int offset = p.getStringOffset();
		int hash = 0;
		for (int i = offset; i < offset + length; i++) {
			hash = 31 * hash + chars[i];
		}
		int slot = (hash ^ (hash >>> 16)) & (NAME_SLOTS - 1);
		String known = names[slot];
		if (known != null && sameCharacters(known, chars, offset, length)) {
			return known;
		}
		String name = new String(chars, offset, length);
		names[slot] = name;
		return name;
	}

	private static boolean sameCharacters(String text, char[] chars, int offset, int length) {
		if (text.length() != length) {
			return false;
		}
		for (int i = 0; i < length; i++) {
			if (text.charAt(i) != chars[offset + i]) {
				return false;
			}
		}
		return true;
	}

	private static @Nullable JobStatus readStatus(JsonParser p, JsonToken token, JobJsonFormat format,
			List<JobValidationException.Violation> violations) {
		JobStatus status = null;
		String unknownCode = null;
		if (token == JsonToken.VALUE_STRING) {
			status = statusNamed(p.getStringCharacters(), p.getStringOffset(), p.getStringLength());
			if (status == null) {
				String text = p.getString().trim();
				for (JobStatus candidate : STATUSES) {
					if (candidate.name().equalsIgnoreCase(text)) {
						status = candidate;
					}
				}
				if (status == null && !text.isEmpty() && text.chars().allMatch(Character::isDigit) && text.length() < 10) {
					status = format.statusNumbering().status(Integer.parseInt(text));
					unknownCode = text;
				}
			}
		}
		else if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
			BigDecimal number = p.getDecimalValue();
			if (number.signum() > 0 && number.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) <= 0
					&& number.stripTrailingZeros().scale() <= 0) {
				status = format.statusNumbering().status(number.intValue());
				unknownCode = Integer.toString(number.intValue());
			}
		}
		if (status == null) {
			violations.add(new JobValidationException.Violation("status", describe(p), statusAccepted(format,
					unknownCode)));
			return JobStatus.QUEUED;
		}
		return status;
	}

	private static String statusAccepted(JobJsonFormat format, @Nullable String code) {
		JobJsonFormat.StatusNumbering numbering = format.statusNumbering();
		String numberingName = numbering.name().toLowerCase(Locale.ROOT).replace('_', '-');
		StringBuilder text = new StringBuilder();
		String pythonName = (code != null) ? numbering.pythonName(Integer.parseInt(code)) : null;
		if (pythonName != null) {
			text.append("is ").append(pythonName).append(" in the ").append(numberingName)
				.append(" numbering, a status Ergate for Java does not run; ");
		}
		text.append("must be a status code of the ").append(numberingName).append(" numbering, ")
			.append(numbering.describeCodes()).append(", or a status name, one of ");
		for (int i = 0; i < STATUSES.length; i++) {
			text.append((i > 0) ? ", " : "").append(STATUSES[i].name());
		}
		return text.toString();
	}

	/** @return the status whose name is exactly these characters, or null */
	private static @Nullable JobStatus statusNamed(char[] chars, int offset, int length) {
		for (JobStatus status : STATUSES) {
			String name = status.name();
			if (name.length() == length && name.charAt(0) == chars[offset]
					&& sameCharacters(name, chars, offset, length)) {
				return status;
			}
		}
		return null;
	}

	private static int readInt(JsonParser p, JsonToken token, String field,
			List<JobValidationException.Violation> violations) {
		if (token == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
			return p.getIntValue();
		}
		try {
			BigDecimal number = switch (token) {
				case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getDecimalValue();
				case VALUE_STRING -> new BigDecimal(p.getString().trim());
				default -> null;
			};
			if (number != null) {
				return number.intValueExact();
			}
		}
		catch (NumberFormatException | ArithmeticException ex) {
			// reported below
		}
		violations.add(new JobValidationException.Violation(field, describe(p), STEPS_ACCEPTED));
		return 0;
	}

	private static double readDouble(JsonParser p, JsonToken token, String field,
			List<JobValidationException.Violation> violations) {
		try {
			switch (token) {
				case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT:
					return p.getDoubleValue();
				case VALUE_STRING:
					return Double.parseDouble(p.getString().trim());
				default:
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		violations.add(new JobValidationException.Violation(field, describe(p), PERCENT_ACCEPTED));
		return 0.0;
	}

	private static @Nullable Instant readTime(JsonParser p, JsonToken token,
			List<JobValidationException.Violation> violations) {
		if (token == JsonToken.VALUE_NULL) {
			return null;
		}
		if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
			BigDecimal seconds = p.getDecimalValue();
			if (seconds.compareTo(MIN_EPOCH_SECOND) >= 0 && seconds.compareTo(MAX_EPOCH_SECOND) <= 0) {
				BigDecimal whole = seconds.setScale(0, RoundingMode.FLOOR);
				return Instant.ofEpochSecond(whole.longValueExact(),
						seconds.subtract(whole).movePointRight(9).intValue());
			}
		}
		if (token == JsonToken.VALUE_STRING) {
			String text = p.getString().trim();
			Instant instant = IsoInstant.parse(text);
			if (instant != null) {
				return instant;
			}
			try {
				return OffsetDateTime.parse(text).toInstant();
			}
			catch (DateTimeException ex) {
				try {
					return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
				}
				catch (DateTimeException ex2) {
					// reported below
				}
			}
		}
		violations.add(new JobValidationException.Violation("requested_start_time", describe(p), TIME_ACCEPTED));
		return null;
	}

	private static Map<String, String> readMetadata(JsonParser p, List<JobValidationException.Violation> violations) {
		Map<String, String> metadata = new LinkedHashMap<>();
		if (p.currentToken() == JsonToken.VALUE_NULL) {
			return metadata;
		}
		if (p.currentToken() != JsonToken.START_OBJECT) {
			violations.add(new JobValidationException.Violation("metadata", describe(p),
					"must be null or an object of string values"));
			return metadata;
		}
		for (JsonToken token = p.nextToken(); token == JsonToken.PROPERTY_NAME; token = p.nextToken()) {
			String key = p.currentName();
			JsonToken value = p.nextToken();
			if (value == JsonToken.VALUE_STRING) {
				metadata.put(key, p.getString());
			}
			else if (value.isScalarValue() && value != JsonToken.VALUE_NULL) {
				metadata.put(key, p.getText());
			}
			else {
				p.skipChildren();
			}
		}
		return metadata;
	}

	/**
	 * Reads any JSON value as plain Java, without loss: integers as the smallest of Integer, Long and
	 * BigInteger, decimals as Double unless that would lose digits.
	 */
	static @Nullable Object readValue(JsonParser p) {
		JsonToken token = p.currentToken();
		switch (token) {
			case VALUE_NULL:
				return null;
			case VALUE_TRUE:
				return Boolean.TRUE;
			case VALUE_FALSE:
				return Boolean.FALSE;
			case VALUE_STRING:
				return p.getString();
			case VALUE_NUMBER_INT:
				return switch (p.getNumberType()) {
					case INT -> p.getIntValue();
					case LONG -> p.getLongValue();
					default -> p.getBigIntegerValue();
				};
			case VALUE_NUMBER_FLOAT: {
				BigDecimal value = p.getDecimalValue();
				// a BigDecimal has no negative zero: -0.0 keeps its sign as a double
				return (value.signum() == 0 && p.getText().startsWith("-")) ? (Object) (-0.0) : decimal(value);
			}
			case START_ARRAY: {
				List<@Nullable Object> list = new ArrayList<>();
				while (p.nextToken() != JsonToken.END_ARRAY) {
					list.add(readValue(p));
				}
				return list;
			}
			case START_OBJECT: {
				Map<String, @Nullable Object> map = new LinkedHashMap<>();
				for (JsonToken next = p.nextToken(); next == JsonToken.PROPERTY_NAME; next = p.nextToken()) {
					String key = p.currentName();
					p.nextToken();
					map.put(key, readValue(p));
				}
				return map;
			}
			case VALUE_EMBEDDED_OBJECT:
				return p.getEmbeddedObject();
			default:
				p.skipChildren();
				return null;
		}
	}

	private static Object decimal(BigDecimal value) {
		double asDouble = value.doubleValue();
		if (Double.isFinite(asDouble) && new BigDecimal(Double.toString(asDouble)).compareTo(value) == 0) {
			return asDouble;
		}
		return value;
	}

	/** The value at the parser, as JSON text (cut when long), consumed when it is an array or object. */
	private static String describe(JsonParser p) {
		JsonToken token = p.currentToken();
		String text;
		if (token == null) {
			return "no value";
		}
		if (token == JsonToken.VALUE_STRING) {
			text = '"' + p.getString() + '"';
		}
		else if (token.isScalarValue()) {
			text = p.getText();
		}
		else if (token == JsonToken.START_ARRAY || token == JsonToken.START_OBJECT) {
			text = p.readValueAsTree().toString();
		}
		else {
			text = String.valueOf(token);
		}
		return (text.length() > MAX_QUOTED_LENGTH) ? text.substring(0, MAX_QUOTED_LENGTH) + "... (" + text.length()
				+ " characters)" : text;
	}

}
