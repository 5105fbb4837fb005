package io.ergate.autoconfigure;

import java.time.Duration;

import io.ergate.JobJsonFormat;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Configuration of Ergate, bound from the {@code ergate.*} properties. It validates itself as it is
 * bound (Spring Boot applies a properties object that is a {@link Validator} to it), so that a bad
 * value fails the startup naming the property, its value and where it was set.
 */
@ConfigurationProperties("ergate")
public class ErgateProperties implements Validator {

	/**
	 * Whether to auto-configure Ergate at all. Set to false to turn off the engine, the worker, the
	 * client and the embedded queue and store.
	 */
	private boolean enabled = true;

	/**
	 * The largest job payload a durable queue reads; a larger one is moved to the dead letters unread,
	 * with its size in the reason.
	 */
	private DataSize maxPayloadSize = DataSize.ofMegabytes(1);

	private final Worker worker = new Worker();

	private final InMemory inMemory = new InMemory();

	private final Json json = new Json();

	/**
	 * The default retry policy of steps whose workflow declares none.
	 */
	@NestedConfigurationProperty
	private final RetryProperties retry = new RetryProperties();

	private final Step step = new Step();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public DataSize getMaxPayloadSize() {
		return this.maxPayloadSize;
	}

	public void setMaxPayloadSize(DataSize maxPayloadSize) {
		this.maxPayloadSize = maxPayloadSize;
	}

	/**
	 * The {@link #getMaxPayloadSize() payload limit} in bytes, for the queues' builders.
	 * @return the limit
	 */
	public int maxPayloadBytes() {
		return (int) Math.min(Integer.MAX_VALUE, Math.max(1, this.maxPayloadSize.toBytes()));
	}

	public Worker getWorker() {
		return this.worker;
	}

	public InMemory getInMemory() {
		return this.inMemory;
	}

	public Json getJson() {
		return this.json;
	}

	public RetryProperties getRetry() {
		return this.retry;
	}

	public Step getStep() {
		return this.step;
	}

	@Override
	public boolean supports(Class<?> type) {
		return type == ErgateProperties.class;
	}

	@Override
	public void validate(Object target, Errors errors) {
		ErgateProperties properties = (ErgateProperties) target;
		Worker worker = properties.getWorker();
		if (worker.getConcurrency() < 1) {
			errors.rejectValue("worker.concurrency", "min", "must be 1 or more");
		}
		if (worker.getShutdownTimeout().isNegative()) {
			errors.rejectValue("worker.shutdownTimeout", "min", "must be zero or more");
		}
		Backoff backoff = worker.getBackoff();
		if (backoff.getInitial().isNegative() || backoff.getInitial().isZero()) {
			errors.rejectValue("worker.backoff.initial", "min", "must be more than zero");
		}
		else if (backoff.getMax().compareTo(backoff.getInitial()) < 0) {
			errors.rejectValue("worker.backoff.max", "min",
					"must be at least ergate.worker.backoff.initial (" + backoff.getInitial() + ")");
		}
		if (properties.getInMemory().getHistoryPerJob() < 0) {
			errors.rejectValue("inMemory.historyPerJob", "min", "must be 0 or more (0 keeps no history)");
		}
		if (properties.getInMemory().getMaxFinishedJobs() < 1) {
			errors.rejectValue("inMemory.maxFinishedJobs", "min", "must be 1 or more");
		}
		if (worker.getPoisonAttempts() < 2) {
			errors.rejectValue("worker.poisonAttempts", "min", "must be 2 or more");
		}
		if (properties.getMaxPayloadSize().toBytes() < 1) {
			errors.rejectValue("maxPayloadSize", "min", "must be 1B or more");
		}
		properties.getRetry().validate("retry", errors);
		Duration timeout = properties.getStep().getDefaultTimeout();
		if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
			errors.rejectValue("step.defaultTimeout", "min", "must be more than zero (remove it for no timeout)");
		}
		if (worker.getCancelCheckInterval().isNegative() || worker.getCancelCheckInterval().isZero()) {
			errors.rejectValue("worker.cancelCheckInterval", "min", "must be more than zero");
		}
	}

	/**
	 * The managed worker that takes jobs from the queue and runs their steps.
	 */
	public static class Worker {

		/**
		 * Whether this application runs a worker. Set to false on nodes that only submit jobs.
		 */
		private boolean enabled = true;

		/**
		 * How many jobs the worker runs at once: one worker loop, and one thread, each.
		 */
		private int concurrency = 4;

		/**
		 * Prefix of the names of the worker threads.
		 */
		private String threadNamePrefix = "ergate-worker-";

		/**
		 * Whether the worker loops run on virtual threads; needs Java 21 or newer. When not set,
		 * follows spring.threads.virtual.enabled (on a JVM that has virtual threads).
		 */
		private @Nullable Boolean virtualThreads;

		/**
		 * Whether the worker starts when the application context is refreshed.
		 */
		private boolean autoStartup = true;

		/**
		 * Lifecycle phase of the worker: it starts after, and stops before, beans of lower phases.
		 * The default, Integer.MAX_VALUE - 2048, is the phase in which the embedded web server
		 * starts and stops.
		 */
		private int phase = 2147481599;

		/**
		 * How long a stop waits for the steps in flight to finish. Capped by
		 * spring.lifecycle.timeout-per-shutdown-phase.
		 */
		private Duration shutdownTimeout = Duration.ofSeconds(30);

		private final Backoff backoff = new Backoff();

		/**
		 * How many times the handling of one job may fail in the queue or the state store (its state
		 * cannot be written, say), each time while other jobs go through, before it is dead-lettered as
		 * poison. Failures while no job goes through are an outage and never dead-letter a job.
		 */
		private int poisonAttempts = 3;

		/**
		 * What happens when a worker thread dies of an error such as OutOfMemoryError: 'replace' logs
		 * it, shows it in the health and starts a new worker; 'exit' logs it and exits the application
		 * (status 1), for a supervisor to restart it.
		 */
		private FatalErrorAction onFatalError = FatalErrorAction.REPLACE;

		/**
		 * Whether the thread of a running step is interrupted when its job is cancelled, besides
		 * StepContext.cancelRequested() turning true.
		 */
		private boolean interruptOnCancel;

		/**
		 * How often the state store is asked whether a cancel was requested for a job whose step runs
		 * longer than that; a cancel issued in this application is seen at once.
		 */
		private Duration cancelCheckInterval = Duration.ofSeconds(1);

		public boolean isInterruptOnCancel() {
			return this.interruptOnCancel;
		}

		public void setInterruptOnCancel(boolean interruptOnCancel) {
			this.interruptOnCancel = interruptOnCancel;
		}

		public Duration getCancelCheckInterval() {
			return this.cancelCheckInterval;
		}

		public void setCancelCheckInterval(Duration cancelCheckInterval) {
			this.cancelCheckInterval = cancelCheckInterval;
		}

		public int getPoisonAttempts() {
			return this.poisonAttempts;
		}

		public void setPoisonAttempts(int poisonAttempts) {
			this.poisonAttempts = poisonAttempts;
		}

		public FatalErrorAction getOnFatalError() {
			return this.onFatalError;
		}

		public void setOnFatalError(FatalErrorAction onFatalError) {
			this.onFatalError = onFatalError;
		}

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getConcurrency() {
			return this.concurrency;
		}

		public void setConcurrency(int concurrency) {
			this.concurrency = concurrency;
		}

		public String getThreadNamePrefix() {
			return this.threadNamePrefix;
		}

		public void setThreadNamePrefix(String threadNamePrefix) {
			this.threadNamePrefix = threadNamePrefix;
		}

		public @Nullable Boolean getVirtualThreads() {
			return this.virtualThreads;
		}

		public void setVirtualThreads(@Nullable Boolean virtualThreads) {
			this.virtualThreads = virtualThreads;
		}

		public boolean isAutoStartup() {
			return this.autoStartup;
		}

		public void setAutoStartup(boolean autoStartup) {
			this.autoStartup = autoStartup;
		}

		public int getPhase() {
			return this.phase;
		}

		public void setPhase(int phase) {
			this.phase = phase;
		}

		public Duration getShutdownTimeout() {
			return this.shutdownTimeout;
		}

		public void setShutdownTimeout(Duration shutdownTimeout) {
			this.shutdownTimeout = shutdownTimeout;
		}

		public Backoff getBackoff() {
			return this.backoff;
		}

	}

	/**
	 * How long a worker waits before trying again after the queue or the state store threw.
	 */
	public static class Backoff {

		/**
		 * Wait after the first failure in a row; doubles after each further one.
		 */
		private Duration initial = Duration.ofMillis(100);

		/**
		 * Longest wait between two tries.
		 */
		private Duration max = Duration.ofSeconds(10);

		public Duration getInitial() {
			return this.initial;
		}

		public void setInitial(Duration initial) {
			this.initial = initial;
		}

		public Duration getMax() {
			return this.max;
		}

		public void setMax(Duration max) {
			this.max = max;
		}

	}

	/**
	 * The embedded in-memory queue and store, used when the application declares no JobQueue or no
	 * StateStore bean.
	 */
	public static class InMemory {

		/**
		 * How many jobs in a final status the in-memory state store keeps before forgetting the
		 * oldest.
		 */
		private int maxFinishedJobs = 100_000;

		public int getMaxFinishedJobs() {
			return this.maxFinishedJobs;
		}

		public void setMaxFinishedJobs(int maxFinishedJobs) {
			this.maxFinishedJobs = maxFinishedJobs;
		}

		/**
		 * How many states of each job the in-memory state store keeps for the dashboard's timeline
		 * (the first and the latest ones); 0 keeps none, which is faster.
		 */
		private int historyPerJob = 32; // InMemoryStateStore.DEFAULT_HISTORY_PER_JOB, written out for the metadata

		public int getHistoryPerJob() {
			return this.historyPerJob;
		}

		public void setHistoryPerJob(int historyPerJob) {
			this.historyPerJob = historyPerJob;
		}

	}

	/**
	 * The job JSON that Ergate's queues and stores write (and read): how a job's status is spelled.
	 */
	public static class Json {

		/**
		 * How a job's status is written: 'code', an integer code that Python Ergate workers accept
		 * (their JobStatus is an IntEnum), or 'name', such as "QUEUED", which they reject. Names are
		 * always accepted on read.
		 */
		private JobJsonFormat.StatusFormat statusFormat = JobJsonFormat.StatusFormat.CODE;

		/**
		 * Numbering of the status codes, on write and on read: 'queued-first' (Python Ergate 0.0,
		 * the Job model with step_name and exception_traceback: QUEUED 1, RUNNING 2, COMPLETED 3,
		 * SCHEDULED 4, FAILED 5, ABORTED 6) or 'scheduled-first' (Python Ergate 0.1 and later:
		 * SCHEDULED 1, QUEUED 2, RUNNING 3, COMPLETED 4, FAILED 5, ABORTED 6).
		 */
		private JobJsonFormat.StatusNumbering statusNumbering = JobJsonFormat.StatusNumbering.QUEUED_FIRST;

		public JobJsonFormat.StatusFormat getStatusFormat() {
			return this.statusFormat;
		}

		public void setStatusFormat(JobJsonFormat.StatusFormat statusFormat) {
			this.statusFormat = statusFormat;
		}

		public JobJsonFormat.StatusNumbering getStatusNumbering() {
			return this.statusNumbering;
		}

		public void setStatusNumbering(JobJsonFormat.StatusNumbering statusNumbering) {
			this.statusNumbering = statusNumbering;
		}

		/**
		 * Returns the format these settings describe.
		 * @return the format
		 */
		public JobJsonFormat toFormat() {
			return JobJsonFormat.of(this.statusFormat, this.statusNumbering);
		}

	}

	/**
	 * Settings of the steps whose workflow declares none.
	 */
	public static class Step {

		/**
		 * How long one run of a step may take when neither the step nor its workflow declares a
		 * timeout; then its thread is interrupted and the attempt fails with a StepTimeoutException
		 * (retried as the retry policy says). Not set: no timeout.
		 */
		private @Nullable Duration defaultTimeout;

		public @Nullable Duration getDefaultTimeout() {
			return this.defaultTimeout;
		}

		public void setDefaultTimeout(@Nullable Duration defaultTimeout) {
			this.defaultTimeout = defaultTimeout;
		}

	}

	/**
	 * What happens when a worker thread dies of an error.
	 */
	public enum FatalErrorAction {

		/** Log it, show it in the health, and start a new worker in its place. */
		REPLACE,

		/** Log it and exit the application with status 1. */
		EXIT

	}

}
