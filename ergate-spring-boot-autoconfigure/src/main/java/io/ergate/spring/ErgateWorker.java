package io.ergate.spring;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

import io.ergate.Ergate;
import io.ergate.WorkerStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs an {@link Ergate} engine's worker loops as a Spring {@link SmartLifecycle} bean: they start
 * when the application context has been refreshed and stop, gracefully, when it closes, before the
 * beans they use (queue, store, workflows) are destroyed.
 * <p>
 * On {@link #stop(Runnable)} the loops take no more jobs and the steps in flight finish and have
 * their state recorded, within the {@linkplain #setShutdownTimeout shutdown timeout}; a step still
 * running then is not interrupted, and is reported in the log.
 * <p>
 * Each loop occupies one thread of the executor for as long as the worker runs: the executor needs
 * at least {@code concurrency} threads.
 */
public class ErgateWorker implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(ErgateWorker.class);

	private final Ergate ergate;

	private final Executor executor;

	private final int concurrency;

	private boolean autoStartup = true;

	private int phase = SmartLifecycle.DEFAULT_PHASE;

	private Duration shutdownTimeout = Duration.ofSeconds(30);

	private final Object monitor = new Object();

	private volatile boolean running;

	/**
	 * Creates a worker.
	 * @param ergate the engine whose jobs the worker runs
	 * @param executor runs the worker loops; it needs {@code concurrency} threads
	 * @param concurrency how many jobs run at once, 1 or more
	 * @throws IllegalArgumentException when {@code concurrency} is less than 1
	 */
	public ErgateWorker(Ergate ergate, Executor executor, int concurrency) {
		if (concurrency < 1) {
			throw new IllegalArgumentException(
					"The Ergate worker's concurrency (ergate.worker.concurrency) must be 1 or more, was " + concurrency);
		}
		this.ergate = Objects.requireNonNull(ergate, "ergate");
		this.executor = Objects.requireNonNull(executor, "executor");
		this.concurrency = concurrency;
	}

	/**
	 * Sets whether the worker starts when the application context is refreshed.
	 * @param autoStartup default {@code true}
	 */
	public void setAutoStartup(boolean autoStartup) {
		this.autoStartup = autoStartup;
	}

	/**
	 * Sets the lifecycle phase: the worker starts after, and stops before, beans of lower phases.
	 * @param phase default {@link SmartLifecycle#DEFAULT_PHASE}
	 */
	public void setPhase(int phase) {
		this.phase = phase;
	}

	/**
	 * Sets how long a stop waits for the steps in flight.
	 * @param shutdownTimeout default 30 seconds
	 */
	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
	}

	/**
	 * Returns how long a stop waits for the steps in flight.
	 * @return the timeout
	 */
	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	/**
	 * Returns how many jobs run at once.
	 * @return the number of worker loops
	 */
	public int getConcurrency() {
		return this.concurrency;
	}

	/**
	 * Returns the executor the worker loops run on.
	 * @return the executor
	 */
	public Executor getExecutor() {
		return this.executor;
	}

	/**
	 * Returns what the worker loops are doing now.
	 * @return a snapshot of the engine's workers
	 */
	public WorkerStatus getStatus() {
		return this.ergate.status();
	}

	@Override
	public void start() {
		synchronized (this.monitor) {
			if (this.running) {
				return;
			}
			this.ergate.start(this.concurrency, this.executor);
			this.running = true;
			logger.info("Ergate worker started: {} loop(s), workflows {}", this.concurrency,
					this.ergate.workflows().stream().map((workflow) -> workflow.name()).toList());
		}
	}

	@Override
	public void stop() {
		synchronized (this.monitor) {
			if (!this.running) {
				return;
			}
			this.running = false;
			logger.info("Ergate worker stopping: waiting up to {} for the steps in flight", this.shutdownTimeout);
			if (this.ergate.stop(this.shutdownTimeout)) {
				logger.info("Ergate worker stopped");
			}
			else {
				logger.warn("Ergate worker stopped with steps still running after {}: "
						+ "they were not interrupted; a reliable queue delivers their jobs again", this.shutdownTimeout);
			}
		}
	}

	@Override
	public void stop(Runnable callback) {
		if (!this.running) {
			callback.run();
			return;
		}
		Thread stopper = new Thread(() -> {
			try {
				stop();
			}
			finally {
				callback.run();
			}
		}, "ergate-worker-stop");
		stopper.start();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public boolean isAutoStartup() {
		return this.autoStartup;
	}

	@Override
	public int getPhase() {
		return this.phase;
	}

}
