package io.ergate.autoconfigure.jdbc;

import java.time.Duration;

import io.ergate.jdbc.JdbcDialect;
import io.ergate.jdbc.JdbcOptions;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Configuration of the JDBC queue and state store, bound from the {@code ergate.jdbc.*} properties.
 * The connection itself comes from the application's {@code DataSource} ({@code spring.datasource.*}).
 * Validated as it is bound, with the limits of {@link JdbcOptions}, whose defaults it starts from.
 */
@ConfigurationProperties("ergate.jdbc")
public class ErgateJdbcProperties implements Validator {

	/**
	 * Where every default below comes from, so that it is written once. The configuration processor
	 * cannot evaluate them: {@code additional-spring-configuration-metadata.json} gives them for the
	 * metadata, and a test checks that both agree with these.
	 */
	private static final JdbcOptions DEFAULTS = JdbcOptions.defaults();

	/**
	 * When to create the queue, job and dead-letter tables at startup (with CREATE TABLE IF NOT
	 * EXISTS): always (when one of them is missing), only for an embedded database such as H2 in
	 * memory, or never (the schema is managed elsewhere, for example by Flyway or Liquibase with the
	 * script from the ergate-jdbc jar). A table still missing once the application's beans are created
	 * fails the startup.
	 */
	private InitializeSchema initializeSchema = InitializeSchema.ALWAYS;

	/**
	 * Prefix of the table names: {prefix}queue, {prefix}job and {prefix}dead_letter. A letter or
	 * underscore followed by at most 39 letters, digits or underscores.
	 */
	private String tablePrefix = DEFAULTS.tablePrefix();

	/**
	 * Most jobs a process claims in one round trip when the queue is deep. Jobs claimed but not yet
	 * started stay leased to this process: use 1 for long steps. It also bounds how many hand-overs
	 * commit together.
	 */
	private int claimBatchSize = DEFAULTS.claimBatchSize();

	/**
	 * How long a claim lasts without a heartbeat: a job whose worker died is run elsewhere this long
	 * after the last heartbeat. Heartbeats run every third of it while a step runs.
	 */
	private Duration leaseDuration = DEFAULTS.leaseDuration();

	/**
	 * Longest time an idle worker sleeps before looking at the queue again. Without LISTEN/NOTIFY,
	 * how late a worker sees a job put by another process; it also bounds how late a job whose
	 * worker died is picked up after its lease ends.
	 */
	private Duration pollInterval = DEFAULTS.pollInterval();

	/**
	 * Whether idle workers are woken by PostgreSQL LISTEN/NOTIFY within milliseconds of a put. Holds
	 * one connection of the DataSource. Ignored on other databases.
	 */
	private boolean listenNotify = DEFAULTS.listenNotify();

	/**
	 * How many times a job may be delivered in the same state (its step or its hand-over keeps failing,
	 * or keeps killing its worker) before it is moved to the dead-letter table. 0 for no limit.
	 */
	private int maxDeliveries = DEFAULTS.maxDeliveries();

	/**
	 * How long a step must run, on PostgreSQL, before its RUNNING state is written: a step that ends
	 * sooner goes straight to its next state, one write less per step. 0 writes every RUNNING state at
	 * once.
	 */
	private Duration runningStateDelay = DEFAULTS.runningStateDelay();

	/**
	 * How long, at most, a finished step's hand-over may wait on PostgreSQL to commit in one
	 * transaction with others while this process holds further claimed jobs (the queue is deep): steps
	 * then cost a fraction of a commit each. 0 commits every hand-over alone.
	 */
	private Duration handOverDelay = DEFAULTS.handOverDelay();

	/**
	 * The database dialect: POSTGRESQL, H2 or MARIADB (MariaDB 10.6+ and MySQL 8+). Detected from the
	 * connection when not set.
	 */
	private @Nullable JdbcDialect dialect = DEFAULTS.dialect();

	private final History history = new History();

	@Override
	public boolean supports(Class<?> type) {
		return type == ErgateJdbcProperties.class;
	}

	@Override
	public void validate(Object target, Errors errors) {
		ErgateJdbcProperties properties = (ErgateJdbcProperties) target;
		try {
			JdbcOptions.validateTablePrefix(properties.getTablePrefix());
		}
		catch (IllegalArgumentException ex) {
			errors.rejectValue("tablePrefix", "pattern",
					"must be a letter or underscore followed by at most 39 letters, digits or underscores, such as ergate_");
		}
		if (properties.getClaimBatchSize() < 1 || properties.getClaimBatchSize() > 1000) {
			errors.rejectValue("claimBatchSize", "range", "must be between 1 and 1000");
		}
		if (properties.getLeaseDuration().compareTo(Duration.ofSeconds(1)) < 0) {
			errors.rejectValue("leaseDuration", "min", "must be at least 1s");
		}
		if (properties.getPollInterval().compareTo(Duration.ofMillis(10)) < 0
				|| properties.getPollInterval().compareTo(Duration.ofMinutes(1)) > 0) {
			errors.rejectValue("pollInterval", "range", "must be between 10ms and 1m");
		}
		if (properties.getMaxDeliveries() < 0) {
			errors.rejectValue("maxDeliveries", "min", "must be 0 (no limit) or more");
		}
		if (properties.getRunningStateDelay().isNegative()) {
			errors.rejectValue("runningStateDelay", "min", "must be zero or more");
		}
		if (properties.getHandOverDelay().isNegative()) {
			errors.rejectValue("handOverDelay", "min", "must be zero or more");
		}
		if (properties.getHistory().getRetention().compareTo(Duration.ofSeconds(1)) < 0) {
			errors.rejectValue("history.retention", "min", "must be at least 1s");
		}
	}

	public InitializeSchema getInitializeSchema() {
		return this.initializeSchema;
	}

	public void setInitializeSchema(InitializeSchema initializeSchema) {
		this.initializeSchema = initializeSchema;
	}

	public String getTablePrefix() {
		return this.tablePrefix;
	}

	public void setTablePrefix(String tablePrefix) {
		this.tablePrefix = tablePrefix;
	}

	public int getClaimBatchSize() {
		return this.claimBatchSize;
	}

	public void setClaimBatchSize(int claimBatchSize) {
		this.claimBatchSize = claimBatchSize;
	}

	public Duration getLeaseDuration() {
		return this.leaseDuration;
	}

	public void setLeaseDuration(Duration leaseDuration) {
		this.leaseDuration = leaseDuration;
	}

	public Duration getPollInterval() {
		return this.pollInterval;
	}

	public void setPollInterval(Duration pollInterval) {
		this.pollInterval = pollInterval;
	}

	public boolean isListenNotify() {
		return this.listenNotify;
	}

	public void setListenNotify(boolean listenNotify) {
		this.listenNotify = listenNotify;
	}

	public int getMaxDeliveries() {
		return this.maxDeliveries;
	}

	public void setMaxDeliveries(int maxDeliveries) {
		this.maxDeliveries = maxDeliveries;
	}

	public Duration getRunningStateDelay() {
		return this.runningStateDelay;
	}

	public void setRunningStateDelay(Duration runningStateDelay) {
		this.runningStateDelay = runningStateDelay;
	}

	public Duration getHandOverDelay() {
		return this.handOverDelay;
	}

	public void setHandOverDelay(Duration handOverDelay) {
		this.handOverDelay = handOverDelay;
	}

	public @Nullable JdbcDialect getDialect() {
		return this.dialect;
	}

	public void setDialect(@Nullable JdbcDialect dialect) {
		this.dialect = dialect;
	}

	public History getHistory() {
		return this.history;
	}

	/**
	 * The history of each job's states, for timelines (the dashboard's job page).
	 */
	public static class History {

		/**
		 * Whether the state store keeps every state of each job, with its time, in the job_history table
		 * (one more row written per state, in the state's transaction).
		 */
		private boolean enabled;

		/**
		 * How long the kept states are kept; older ones are deleted periodically.
		 */
		private Duration retention = Duration.ofDays(7);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getRetention() {
			return this.retention;
		}

		public void setRetention(Duration retention) {
			this.retention = retention;
		}

	}

	/**
	 * When the tables are created at startup, as Spring Batch's {@code initialize-schema}.
	 */
	public enum InitializeSchema {

		/**
		 * Always, the default: when one of the tables is missing, the script runs (it uses CREATE TABLE
		 * IF NOT EXISTS, so existing tables are kept); when all exist, nothing runs.
		 */
		ALWAYS,

		/** Only when the DataSource is an embedded, in-memory database (H2, HSQLDB, Derby). */
		EMBEDDED,

		/** Never: the schema is managed elsewhere; the startup fails when a table is missing. */
		NEVER

	}

}
