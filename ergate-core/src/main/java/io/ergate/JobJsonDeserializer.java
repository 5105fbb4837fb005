package io.ergate;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;

/**
 * Reads a {@link Job} from the original snake_case wire format, casting values the way the original
 * pydantic model does and reporting every invalid field at once in a
 * {@link JobValidationException}. Unknown fields are ignored.
 */
final class JobJsonDeserializer extends ValueDeserializer<Job> {

	@Override
	public Job deserialize(JsonParser p, DeserializationContext ctxt) {
		if (!p.isExpectedStartObjectToken()) {
			String found = String.valueOf(p.currentToken());
			p.skipChildren();
			throw new JobValidationException(List.of(new JobValidationException.Violation("job", found,
					"must be a JSON object such as {\"workflow_name\": \"my_workflow\"}")));
		}
		Job.Builder builder = Job.builder("");
		builder.workflowName(null);
		List<JobValidationException.Violation> violations = new ArrayList<>(0);
		for (JsonToken token = p.nextToken(); token == JsonToken.PROPERTY_NAME; token = p.nextToken()) {
			String field = p.currentName();
			JsonToken valueToken = p.nextToken();
			switch (field) {
				case "id" -> builder.id(readValue(p));
				case "workflow_name" -> builder.workflowName(readString(p, field, violations));
				case "step_name" -> builder.stepName(readString(p, field, violations));
				case "status" -> builder.status(readStatus(p, valueToken, violations));
				case "steps_completed" -> builder.stepsCompleted(readInt(p, valueToken, field, violations));
				case "percent_completed" -> builder.percentCompleted(readDouble(p, valueToken, field, violations));
				case "initial_input_value" -> builder.initialInputValue(readValue(p));
				case "last_return_value" -> builder.lastReturnValue(readValue(p));
				case "exception_traceback" -> builder.exceptionTraceback(readString(p, field, violations));
				case "user_context" -> builder.userContext(readValue(p));
				case "requested_start_time" -> builder.requestedStartTime(readTime(p, valueToken, violations));
				case "metadata" -> builder.metadata(readMetadata(p, violations));
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
		violations.add(new JobValidationException.Violation(field, describe(p), "must be a string"));
		return null;
	}

	private static @Nullable JobStatus readStatus(JsonParser p, JsonToken token,
			List<JobValidationException.Violation> violations) {
		JobStatus status = null;
		if (token == JsonToken.VALUE_STRING) {
			status = JobStatus.parse(p.getString());
		}
		else if (token == JsonToken.VALUE_NUMBER_INT) {
			status = JobStatus.fromCode(p.getIntValue());
		}
		if (status == null) {
			violations.add(new JobValidationException.Violation("status", describe(p),
					"must be one of SCHEDULED, QUEUED, RUNNING, COMPLETED, FAILED, ABORTED (or their codes 1 to 6)"));
			return JobStatus.QUEUED;
		}
		return status;
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
		violations.add(new JobValidationException.Violation(field, describe(p), "must be a whole number"));
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
		violations.add(new JobValidationException.Violation(field, describe(p), "must be a number"));
		return 0.0;
	}

	private static @Nullable Instant readTime(JsonParser p, JsonToken token,
			List<JobValidationException.Violation> violations) {
		if (token == JsonToken.VALUE_NULL) {
			return null;
		}
		if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
			BigDecimal seconds = p.getDecimalValue();
			return Instant.ofEpochSecond(seconds.longValue(),
					seconds.remainder(BigDecimal.ONE).movePointRight(9).intValue());
		}
		if (token == JsonToken.VALUE_STRING) {
			String text = p.getString().trim();
			try {
				return OffsetDateTime.parse(text).toInstant();
			}
			catch (DateTimeParseException ex) {
				try {
					return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
				}
				catch (DateTimeParseException ex2) {
					// reported below
				}
			}
		}
		violations.add(new JobValidationException.Violation("requested_start_time", describe(p),
				"must be an ISO-8601 date-time such as 2026-01-31T09:30:00Z"));
		return null;
	}

	private static Map<String, String> readMetadata(JsonParser p, List<JobValidationException.Violation> violations) {
		Map<String, String> metadata = new LinkedHashMap<>();
		if (p.currentToken() == JsonToken.VALUE_NULL) {
			return metadata;
		}
		if (p.currentToken() != JsonToken.START_OBJECT) {
			violations.add(new JobValidationException.Violation("metadata", describe(p),
					"must be an object of string values"));
			p.skipChildren();
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
			case VALUE_NUMBER_FLOAT:
				return decimal(p.getDecimalValue());
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

	private static String describe(JsonParser p) {
		JsonToken token = p.currentToken();
		if (token == JsonToken.VALUE_STRING) {
			return '"' + p.getString() + '"';
		}
		if (token.isScalarValue()) {
			return p.getText();
		}
		p.skipChildren();
		return (token == JsonToken.START_ARRAY) ? "an array" : "an object";
	}

}
