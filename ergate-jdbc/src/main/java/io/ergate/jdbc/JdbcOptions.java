package io.ergate.jdbc;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

import io.ergate.JobDecoder;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Settings of a {@link JdbcJobQueue} and a {@link JdbcStateStore}. Immutable; start from
 * {@link #defaults()} or {@link #builder()}.
 * <pre>{@code
 * JdbcOptions options = JdbcOptions.builder().tablePrefix("billing_ergate_").claimBatchSize(20).build();
 * }</pre>
 */
public final class JdbcOptions {

	/** The default table prefix: tables {@code ergate_queue}, {@code ergate_job}, {@code ergate_dead_letter}. */
	public static final String DEFAULT_TABLE_PREFIX = "ergate_";

	private static final Pattern PREFIX = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,39}");

	private final String tablePrefix;

	private final @Nullable JdbcDialect dialect;

	private final int claimBatchSize;

	private final Duration leaseDuration;

	private final Duration pollInterval;

	private final boolean listenNotify;

	private final int maxDeliveries;

	private final int maxPayloadBytes;

	private final Duration runningStateDelay;

	private final Duration handOverDelay;

	private final JsonMapper jsonMapper;

	private final @Nullable Duration historyRetention;

	private JdbcOptions(Builder builder) {
		this.tablePrefix = builder.tablePrefix;
		this.dialect = builder.dialect;
		this.claimBatchSize = builder.claimBatchSize;
		this.leaseDuration = builder.leaseDuration;
		this.pollInterval = builder.pollInterval;
		this.listenNotify = builder.listenNotify;
		this.maxDeliveries = builder.maxDeliveries;
		this.maxPayloadBytes = builder.maxPayloadBytes;
		this.runningStateDelay = builder.runningStateDelay;
		this.handOverDelay = builder.handOverDelay;
		this.jsonMapper = builder.jsonMapper;
		this.historyRetention = builder.historyRetention;
	}

	/**
	 * Returns the default settings.
	 * @return the defaults
	 */
	public static JdbcOptions defaults() {
		return builder().build();
	}

	/**
	 * Starts building settings from the defaults.
	 * @return a builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Checks that a table prefix is a plain SQL identifier, so that it cannot inject SQL.
	 * @param tablePrefix the prefix
	 * @return the prefix
	 * @throws IllegalArgumentException when it is not a letter or underscore followed by at most 39
	 * letters, digits or underscores
	 */
	public static String validateTablePrefix(String tablePrefix) {
		if (!PREFIX.matcher(tablePrefix).matches()) {
			throw new IllegalArgumentException("Invalid Ergate table prefix \"" + tablePrefix
					+ "\": use a letter or underscore followed by at most 39 letters, digits or underscores, "
					+ "such as \"ergate_\" (to use another schema, set it on the DataSource's connections)");
		}
		return tablePrefix;
	}

	/**
	 * Returns the prefix of the table names.
	 * @return the prefix, default {@code ergate_}
	 */
	public String tablePrefix() {
		return this.tablePrefix;
	}

	/**
	 * Returns the database dialect.
	 * @return the dialect, or {@code null} to detect it from the connection
	 */
	public @Nullable JdbcDialect dialect() {
		return this.dialect;
	}

	/**
	 * Returns the most jobs claimed in one round trip when the queue is deep.
	 * @return the batch size, default 32
	 */
	public int claimBatchSize() {
		return this.claimBatchSize;
	}

	/**
	 * Returns how long a claim lasts without a heartbeat.
	 * @return the lease, default 30 seconds
	 */
	public Duration leaseDuration() {
		return this.leaseDuration;
	}

	/**
	 * Returns the longest an idle worker sleeps before looking at the queue again.
	 * @return the interval, default 1 second
	 */
	public Duration pollInterval() {
		return this.pollInterval;
	}

	/**
	 * Tells whether idle workers are woken by PostgreSQL {@code LISTEN/NOTIFY}.
	 * @return {@code true} by default; ignored on other databases
	 */
	public boolean listenNotify() {
		return this.listenNotify;
	}

	/**
	 * Returns how many times a job may be delivered in the same state before it is moved to the
	 * dead-letter table instead.
	 * @return the limit, default 20; 0 for none
	 */
	public int maxDeliveries() {
		return this.maxDeliveries;
	}

	/**
	 * Returns how long a step must run on PostgreSQL before its {@code RUNNING} state is written.
	 * @return the delay; zero when every {@code RUNNING} state is written at once
	 */
	public Duration runningStateDelay() {
		return this.runningStateDelay;
	}

	/**
	 * Returns the largest payload read as a job.
	 * @return the limit in bytes
	 */
	public int maxPayloadBytes() {
		return this.maxPayloadBytes;
	}

	/**
	 * Returns how long a hand-over may wait on PostgreSQL to commit with others while the queue is deep.
	 * @return the longest wait; zero when every hand-over commits alone
	 */
	public Duration handOverDelay() {
		return this.handOverDelay;
	}

	/**
	 * Returns the mapper that writes and reads job payloads.
	 * @return the mapper, default {@link JsonMapper#shared()}
	 */
	public JsonMapper jsonMapper() {
		return this.jsonMapper;
	}

	/**
	 * Returns whether the state store keeps every state of each job in the {@code job_history} table,
	 * for {@link JdbcStateStore#history(Object)}.
	 * @return {@code true} when enabled; default {@code false} (one more row written per state)
	 */
	public boolean historyEnabled() {
		return this.historyRetention != null;
	}

	/**
	 * Returns how long the kept states of jobs are kept before they are deleted.
	 * @return the retention, {@code null} when the history is off
	 */
	public @Nullable Duration historyRetention() {
		return this.historyRetention;
	}

	/**
	 * Returns a builder holding these settings.
	 * @return a builder
	 */
	public Builder toBuilder() {
		Builder builder = new Builder();
		builder.tablePrefix = this.tablePrefix;
		builder.dialect = this.dialect;
		builder.claimBatchSize = this.claimBatchSize;
		builder.leaseDuration = this.leaseDuration;
		builder.pollInterval = this.pollInterval;
		builder.listenNotify = this.listenNotify;
		builder.maxDeliveries = this.maxDeliveries;
		builder.maxPayloadBytes = this.maxPayloadBytes;
		builder.runningStateDelay = this.runningStateDelay;
		builder.handOverDelay = this.handOverDelay;
		builder.jsonMapper = this.jsonMapper;
		builder.historyRetention = this.historyRetention;
		return builder;
	}

	String table(String name) {
		return this.tablePrefix + name;
	}

	@Override
	public String toString() {
		return "JdbcOptions{tablePrefix=" + this.tablePrefix + ", dialect=" + this.dialect + ", claimBatchSize="
				+ this.claimBatchSize + ", leaseDuration=" + this.leaseDuration + ", pollInterval="
				+ this.pollInterval + ", listenNotify=" + this.listenNotify + ", maxDeliveries=" + this.maxDeliveries
				+ ", runningStateDelay=" + this.runningStateDelay + ", handOverDelay=" + this.handOverDelay
				+ ", historyRetention=" + this.historyRetention + "}";
	}

	/**
	 * Builds {@link JdbcOptions}.
	 */
	public static final class Builder {

		private String tablePrefix = DEFAULT_TABLE_PREFIX;

		private @Nullable JdbcDialect dialect;

		private int claimBatchSize = 32;

		private Duration leaseDuration = Duration.ofSeconds(30);

		private Duration pollInterval = Duration.ofSeconds(1);

		private boolean listenNotify = true;

		private int maxDeliveries = 20;

		private int maxPayloadBytes = JobDecoder.DEFAULT_MAX_PAYLOAD_BYTES;

		private Duration runningStateDelay = Duration.ofMillis(20);

		private Duration handOverDelay = Duration.ofMillis(10);

		private JsonMapper jsonMapper = JsonMapper.shared();

		private @Nullable Duration historyRetention;

		private Builder() {
		}

		/**
		 * Sets the prefix of the table names.
		 * @param tablePrefix a letter or underscore followed by at most 39 letters, digits or underscores
		 * @return this builder
		 * @throws IllegalArgumentException when the prefix is not such an identifier
		 */
		public Builder tablePrefix(String tablePrefix) {
			this.tablePrefix = validateTablePrefix(tablePrefix);
			return this;
		}

		/**
		 * Sets the database dialect instead of detecting it.
		 * @param dialect the dialect, or {@code null} to detect it
		 * @return this builder
		 */
		public Builder dialect(@Nullable JdbcDialect dialect) {
			this.dialect = dialect;
			return this;
		}

		/**
		 * Sets the most jobs a worker process claims in one round trip when the queue is deep. Jobs
		 * claimed but not yet started stay leased to this process (given back when none of its workers
		 * came to take one for a poll interval): use 1 for long steps. It also bounds how many
		 * hand-overs commit together ({@link #handOverDelay(Duration)}).
		 * @param claimBatchSize from 1 to 1000, default 32
		 * @return this builder
		 */
		public Builder claimBatchSize(int claimBatchSize) {
			if (claimBatchSize < 1 || claimBatchSize > 1000) {
				throw new IllegalArgumentException("claimBatchSize must be between 1 and 1000, was " + claimBatchSize);
			}
			this.claimBatchSize = claimBatchSize;
			return this;
		}

		/**
		 * Sets how long a claim lasts: a job whose worker stops heart-beating (it died) is claimable
		 * again this long after the last heartbeat. Heartbeats run every third of it.
		 * @param leaseDuration at least 1 second
		 * @return this builder
		 */
		public Builder leaseDuration(Duration leaseDuration) {
			if (leaseDuration.compareTo(Duration.ofSeconds(1)) < 0) {
				throw new IllegalArgumentException("leaseDuration must be at least 1s, was " + leaseDuration);
			}
			this.leaseDuration = leaseDuration;
			return this;
		}

		/**
		 * Sets the longest an idle worker sleeps before looking at the queue again (without
		 * {@code LISTEN/NOTIFY}, this bounds how late it sees a job put by another process).
		 * @param pollInterval from 10 milliseconds to 1 minute
		 * @return this builder
		 */
		public Builder pollInterval(Duration pollInterval) {
			if (pollInterval.toMillis() < 10 || pollInterval.compareTo(Duration.ofMinutes(1)) > 0) {
				throw new IllegalArgumentException("pollInterval must be between 10ms and 1m, was " + pollInterval);
			}
			this.pollInterval = pollInterval;
			return this;
		}

		/**
		 * Sets whether idle workers are woken by PostgreSQL {@code LISTEN/NOTIFY}, which holds one
		 * connection of the data source per queue.
		 * @param listenNotify {@code true} by default
		 * @return this builder
		 */
		public Builder listenNotify(boolean listenNotify) {
			this.listenNotify = listenNotify;
			return this;
		}

		/**
		 * Sets how many times a job may be delivered in the same state (its step started, or its
		 * hand-over tried, without completing: the step or the hand-over keeps failing, or keeps killing
		 * its worker) before it is moved to the dead-letter table instead of being delivered again.
		 * @param maxDeliveries 1 or more, or 0 for no limit
		 * @return this builder
		 */
		public Builder maxDeliveries(int maxDeliveries) {
			if (maxDeliveries < 0) {
				throw new IllegalArgumentException("maxDeliveries must be 0 (no limit) or more, was " + maxDeliveries);
			}
			this.maxDeliveries = maxDeliveries;
			return this;
		}

		/**
		 * Sets the largest queue row payload read as a job; a larger one is moved to the dead-letter
		 * table unread.
		 * @param maxPayloadBytes 1 or more, default 1 MiB
		 * @return this builder
		 */
		public Builder maxPayloadBytes(int maxPayloadBytes) {
			if (maxPayloadBytes < 1) {
				throw new IllegalArgumentException("maxPayloadBytes must be 1 or more, was " + maxPayloadBytes);
			}
			this.maxPayloadBytes = maxPayloadBytes;
			return this;
		}

		/**
		 * Sets how long a step must run, on PostgreSQL and outside a Spring transaction, before the
		 * state store writes its {@code RUNNING} state. A step that ends sooner goes straight to its
		 * next state, one write less per step; a longer one shows {@code RUNNING} this much late.
		 * @param runningStateDelay the delay, default 20 ms; zero to write every {@code RUNNING} state
		 * at once
		 * @return this builder
		 */
		public Builder runningStateDelay(Duration runningStateDelay) {
			if (runningStateDelay.isNegative()) {
				throw new IllegalArgumentException("runningStateDelay must be zero or more, was " + runningStateDelay);
			}
			this.runningStateDelay = runningStateDelay;
			return this;
		}

		/**
		 * Sets how long, at most, a finished step's hand-over may wait to commit in one transaction with
		 * the hand-overs of other steps. It waits only on PostgreSQL, outside a Spring transaction, and
		 * while this process holds further claimed jobs that its workers have not started (the queue is
		 * deep): the last of them commits the group at once, and so does a group that reaches
		 * {@link #claimBatchSize(int)}. Steps then cost a fraction of a commit each; a crash before the
		 * group commits makes its steps run again, as any crash after a step does.
		 * @param handOverDelay the longest wait, default 10 ms; zero to commit every hand-over alone
		 * @return this builder
		 */
		public Builder handOverDelay(Duration handOverDelay) {
			if (handOverDelay.isNegative()) {
				throw new IllegalArgumentException("handOverDelay must be zero or more, was " + handOverDelay);
			}
			this.handOverDelay = handOverDelay;
			return this;
		}

		/**
		 * Sets the mapper that writes and reads job payloads.
		 * @param jsonMapper the mapper
		 * @return this builder
		 */
		public Builder jsonMapper(JsonMapper jsonMapper) {
			this.jsonMapper = Objects.requireNonNull(jsonMapper, "jsonMapper");
			return this;
		}

		/**
		 * Makes the state store keep every state of each job, with its time, in the {@code job_history}
		 * table (written in the transaction, or the statement, that writes the state), for timelines
		 * ({@link JdbcStateStore#history(Object)}); rows older than the retention are deleted
		 * periodically. Off by default: it writes one more row per state.
		 * @param retention how long to keep the states, such as 7 days; {@code null} turns the history off
		 * @return this builder
		 */
		public Builder history(@Nullable Duration retention) {
			if (retention != null && (retention.isNegative() || retention.isZero())) {
				throw new IllegalArgumentException("The history's retention must be more than zero, was " + retention);
			}
			this.historyRetention = retention;
			return this;
		}

		/**
		 * Builds the settings.
		 * @return the settings
		 */
		public JdbcOptions build() {
			return new JdbcOptions(this);
		}

	}

}
