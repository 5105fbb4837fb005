package io.ergate;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a queue's payload into a job, the same way for every queue: the payload's size is checked
 * before it is parsed, every reason for refusing it names what is wrong and what is accepted, and a
 * job without an id gets one.
 * <p>
 * A job that arrives without an {@code id} gets a name-based UUID of the seed the queue gives (the
 * JDBC queue gives its row id, which stays the same across redeliveries); without a seed it gets a
 * random UUID and {@link Decoded#idAssigned()} tells the queue to store the job again with that id
 * before it runs (the RabbitMQ queue republishes it), so that a redelivery keeps the id.
 */
public final class JobDecoder {

	/** The default limit on a payload's size: 1 MiB. */
	public static final int DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;

	private final JsonMapper mapper;

	private final int maxPayloadBytes;

	/**
	 * Creates a decoder.
	 * @param mapper the mapper that reads jobs
	 * @param maxPayloadBytes the largest payload accepted, in bytes (UTF-8)
	 */
	public JobDecoder(JsonMapper mapper, int maxPayloadBytes) {
		if (maxPayloadBytes < 1) {
			throw new IllegalArgumentException("maxPayloadBytes must be 1 or more, was " + maxPayloadBytes);
		}
		this.mapper = mapper;
		this.maxPayloadBytes = maxPayloadBytes;
	}

	/**
	 * Returns the largest payload accepted.
	 * @return the limit in bytes
	 */
	public int maxPayloadBytes() {
		return this.maxPayloadBytes;
	}

	/**
	 * Decodes a payload.
	 * @param payload the payload's bytes, UTF-8 JSON
	 * @param idSeed what a missing id is derived from, stable across redeliveries; {@code null} when
	 * the queue has nothing stable
	 * @return the job
	 * @throws PoisonJobException when the payload cannot become a job, with the reason
	 */
	public Decoded decode(byte[] payload, @Nullable String idSeed) {
		checkSize(payload.length);
		return withId(read(() -> this.mapper.readValue(payload, Job.class)), idSeed);
	}

	/**
	 * Decodes a payload read as text.
	 * @param payload the JSON text
	 * @param idSeed what a missing id is derived from, or {@code null}
	 * @return the job
	 * @throws PoisonJobException when the payload cannot become a job, with the reason
	 */
	public Decoded decode(String payload, @Nullable String idSeed) {
		// a char is at most 3 UTF-8 bytes: count exactly only near the limit
		if ((long) payload.length() * 3 > this.maxPayloadBytes) {
			checkSize(utf8Length(payload));
		}
		return withId(read(() -> this.mapper.readValue(payload, Job.class)), idSeed);
	}

	private static @Nullable Job read(Supplier<@Nullable Job> parse) {
		try {
			return parse.get();
		}
		catch (RuntimeException | StackOverflowError ex) {
			throw unreadable(ex);
		}
	}

	/**
	 * The id a job without one gets from a seed: a name-based UUID, the same for the same seed.
	 * @param seed the seed
	 * @return the id
	 */
	public static String stableId(String seed) {
		return UUID.nameUUIDFromBytes(("ergate:" + seed).getBytes(StandardCharsets.UTF_8)).toString();
	}

	private void checkSize(long bytes) {
		if (bytes > this.maxPayloadBytes) {
			throw new PoisonJobException("The payload of " + bytes + " bytes exceeds the limit of "
					+ this.maxPayloadBytes + " bytes (ergate.max-payload-size): keep large values out of jobs "
					+ "(store them elsewhere and pass a reference), or raise the limit");
		}
	}

	private static Decoded withId(@Nullable Job job, @Nullable String idSeed) {
		if (job == null) {
			throw new PoisonJobException("The payload is JSON null: a job is a JSON object with at least "
					+ "\"workflow_name\", for example {\"workflow_name\": \"my_workflow\"}");
		}
		if (job.id() != null) {
			return new Decoded(job, false);
		}
		String id = (idSeed != null) ? stableId(idSeed) : UUID.randomUUID().toString();
		return new Decoded(job.toBuilder().id(id).build(), idSeed == null);
	}

	private static PoisonJobException unreadable(Throwable error) {
		if (error instanceof JobValidationException invalid) {
			return new PoisonJobException(invalid.getMessage(), invalid);
		}
		if (error instanceof JacksonException jackson) {
			return new PoisonJobException("Not a JSON job: " + jackson.getOriginalMessage()
					+ ". A job is a JSON object such as {\"workflow_name\": \"my_workflow\"}", jackson);
		}
		if (error instanceof StackOverflowError) {
			return new PoisonJobException("The payload is nested too deeply to be read as a job");
		}
		return new PoisonJobException("Unreadable job: " + error, error);
	}

	private static long utf8Length(String text) {
		long bytes = 0;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c < 0x80) {
				bytes++;
			}
			else if (c < 0x800) {
				bytes += 2;
			}
			else if (Character.isHighSurrogate(c)) {
				bytes += 4;
				i++;
			}
			else {
				bytes += 3;
			}
		}
		return bytes;
	}

	/**
	 * A decoded job.
	 * @param job the job, with an id
	 * @param idAssigned whether the id was made up at random here: the queue must store the job again
	 * with it before it runs
	 */
	public record Decoded(Job job, boolean idAssigned) {
	}

}
