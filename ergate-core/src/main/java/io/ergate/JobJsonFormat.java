package io.ergate;

import java.util.Arrays;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.DatabindContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * How the job JSON spells a job's {@code status}: as an integer code (what the Python Ergate
 * {@code Job} model, whose {@code JobStatus} is an {@code IntEnum}, accepts) or as the status name,
 * and which numbering the codes follow, on write and on read. Names are always accepted on read.
 * <p>
 * A mapper carries its format as a default attribute: {@link #applyTo(JsonMapper)} gives a mapper that
 * reads and writes jobs in this format, and a mapper that carries none uses {@link #DEFAULT}, integer
 * codes in the {@link StatusNumbering#QUEUED_FIRST} numbering of the Python {@code Job} model that the
 * seed documents describe. A single call may choose another one with
 * {@code mapper.writer().withAttribute(JobJsonFormat.class, format)}.
 * <pre>{@code
 * JsonMapper names = JobJsonFormat.of(StatusFormat.NAME, StatusNumbering.QUEUED_FIRST).applyTo(JsonMapper.shared());
 * names.writeValueAsString(job);   // ..."status":"QUEUED"...
 * JsonMapper.shared().writeValueAsString(job);   // ..."status":1...
 * }</pre>
 */
public final class JobJsonFormat {

	/** How a status is written. */
	public enum StatusFormat {

		/** As its integer code in the format's numbering, as a Python Ergate worker writes and reads it. */
		CODE,

		/** As its name, such as {@code "QUEUED"}; Python Ergate workers reject it. */
		NAME

	}

	/**
	 * The integer codes of the statuses, which differ between versions of the Python Ergate. Each
	 * numbering lists the statuses by code, from 1; codes of statuses that this version of Ergate for
	 * Java does not have (yet) are named in read errors.
	 */
	public enum StatusNumbering {

		/**
		 * Python Ergate 0.0.x, the {@code Job} model with {@code step_name} and
		 * {@code exception_traceback} that the seed documents describe: QUEUED 1, RUNNING 2, COMPLETED 3,
		 * SCHEDULED 4, FAILED 5, ABORTED 6.
		 */
		QUEUED_FIRST("QUEUED", "RUNNING", "COMPLETED", "SCHEDULED", "FAILED", "ABORTED"),

		/**
		 * Python Ergate 0.1 and later: SCHEDULED 1, QUEUED 2, RUNNING 3, COMPLETED 4, FAILED 5, ABORTED 6,
		 * and from 0.6 PENDING 7, CANCELLING 8, CANCELLED 9.
		 */
		SCHEDULED_FIRST("SCHEDULED", "QUEUED", "RUNNING", "COMPLETED", "FAILED", "ABORTED", "PENDING", "CANCELLING",
				"CANCELLED");

		private final String[] names;

		private final @Nullable JobStatus[] statuses;

		/** Codes by {@link JobStatus#ordinal()}; 0 for a status this numbering has no code for. */
		private final int[] codes;

		StatusNumbering(String... names) {
			this.names = names;
			this.statuses = new JobStatus[names.length];
			this.codes = new int[JobStatus.values().length];
			for (JobStatus status : JobStatus.values()) {
				int index = Arrays.asList(names).indexOf(status.name());
				if (index >= 0) {
					this.statuses[index] = status;
					this.codes[status.ordinal()] = index + 1;
				}
			}
		}

		/**
		 * Returns the code of a status in this numbering.
		 * @param status the status
		 * @return the code, from 1; 0 when this numbering has none for the status
		 */
		public int code(JobStatus status) {
			return this.codes[status.ordinal()];
		}

		/**
		 * Returns the status of a code in this numbering.
		 * @param code the code
		 * @return the status, or {@code null} when no status of Ergate for Java has that code
		 */
		public @Nullable JobStatus status(long code) {
			return (code >= 1 && code <= this.statuses.length) ? this.statuses[(int) code - 1] : null;
		}

		/**
		 * Returns the name a Python Ergate of this numbering gives a code (for error messages).
		 * @param code a status code
		 * @return the name, or {@code null} for a code it does not have
		 */
		public @Nullable String pythonName(long code) {
			return (code >= 1 && code <= this.names.length) ? this.names[(int) code - 1] : null;
		}

		/**
		 * Describes the codes Ergate for Java reads in this numbering (for error messages).
		 * @return "1 (QUEUED), 2 (RUNNING), ..."
		 */
		public String describeCodes() {
			StringBuilder text = new StringBuilder();
			for (int i = 0; i < this.statuses.length; i++) {
				if (this.statuses[i] != null) {
					text.append((text.length() > 0) ? ", " : "").append(i + 1).append(" (").append(this.names[i])
						.append(')');
				}
			}
			return text.toString();
		}

	}

	/** Integer codes in the {@link StatusNumbering#QUEUED_FIRST} numbering: what any mapper uses by default. */
	public static final JobJsonFormat DEFAULT = new JobJsonFormat(StatusFormat.CODE, StatusNumbering.QUEUED_FIRST);

	private static final JobJsonFormat[] ALL = new JobJsonFormat[StatusFormat.values().length
			* StatusNumbering.values().length];

	static {
		for (StatusFormat format : StatusFormat.values()) {
			for (StatusNumbering numbering : StatusNumbering.values()) {
				ALL[index(format, numbering)] = (format == DEFAULT.statusFormat && numbering == DEFAULT.statusNumbering)
						? DEFAULT : new JobJsonFormat(format, numbering);
			}
		}
	}

	private final StatusFormat statusFormat;

	private final StatusNumbering statusNumbering;

	private JobJsonFormat(StatusFormat statusFormat, StatusNumbering statusNumbering) {
		this.statusFormat = statusFormat;
		this.statusNumbering = statusNumbering;
	}

	private static int index(StatusFormat format, StatusNumbering numbering) {
		return format.ordinal() * StatusNumbering.values().length + numbering.ordinal();
	}

	/**
	 * Returns the format that writes statuses as given and reads codes in the given numbering.
	 * @param statusFormat codes or names
	 * @param statusNumbering the numbering of the codes, on write and on read
	 * @return the format
	 */
	public static JobJsonFormat of(StatusFormat statusFormat, StatusNumbering statusNumbering) {
		return ALL[index(statusFormat, statusNumbering)];
	}

	/**
	 * Returns the format a mapper reads and writes jobs in.
	 * @param mapper the mapper
	 * @return the format it carries, or {@link #DEFAULT}
	 */
	public static JobJsonFormat of(JsonMapper mapper) {
		Object format = mapper.serializationConfig().getAttributes().getAttribute(JobJsonFormat.class);
		return (format instanceof JobJsonFormat carried) ? carried : DEFAULT;
	}

	/**
	 * Returns the format of one serialization or deserialization call: the call's attribute, else
	 * the mapper's, else the default. The job codec reads it.
	 * @param context the call's context
	 * @return the format
	 */
	public static JobJsonFormat of(DatabindContext context) {
		Object format = context.getAttribute(JobJsonFormat.class);
		return (format instanceof JobJsonFormat carried) ? carried : DEFAULT;
	}

	/**
	 * Returns how statuses are written.
	 * @return codes or names
	 */
	public StatusFormat statusFormat() {
		return this.statusFormat;
	}

	/**
	 * Returns the numbering of status codes, on write and on read.
	 * @return the numbering
	 */
	public StatusNumbering statusNumbering() {
		return this.statusNumbering;
	}

	/**
	 * Returns a mapper like the given one that reads and writes jobs in this format: the mapper itself
	 * when it already does, else a copy with this format as a default attribute.
	 * @param mapper the mapper, with its modules and settings
	 * @return a mapper in this format
	 */
	public JsonMapper applyTo(JsonMapper mapper) {
		if (of(mapper) == this) {
			return mapper;
		}
		JsonMapper.Builder builder = mapper.rebuild();
		return builder.defaultAttributes(builder.defaultAttributes().withSharedAttribute(JobJsonFormat.class, this))
			.build();
	}

	@Override
	public String toString() {
		return "JobJsonFormat{status-format=" + this.statusFormat + ", status-numbering=" + this.statusNumbering + "}";
	}

}
