package io.ergate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds jobs that are not due yet, for queues that cannot delay them: one timer thread, started on
 * first use, puts each job on the queue when it is due. On shutdown the jobs still held are put on
 * the queue at once, so none is lost with this process.
 */
final class Delayer {

	private static final Logger logger = LoggerFactory.getLogger(Delayer.class);

	private final JobQueue queue;

	private final Clock clock;

	private final Set<Release> pending = ConcurrentHashMap.newKeySet();

	private @Nullable ScheduledThreadPoolExecutor executor;

	Delayer(JobQueue queue, Clock clock) {
		this.queue = queue;
		this.clock = clock;
	}

	/**
	 * Puts a job on the queue, or holds it here until its {@code requested_start_time} when it is not
	 * due yet and the queue cannot delay it: the one place that decides between the two.
	 */
	void putOrHold(Job job) {
		Instant due = job.requestedStartTime();
		if (due != null && !this.queue.supportsDelayedDelivery() && this.clock.instant().isBefore(due)) {
			schedule(job, due);
		}
		else {
			this.queue.put(job);
		}
	}

	synchronized void schedule(Job job, Instant due) {
		if (this.executor == null) {
			this.executor = new ScheduledThreadPoolExecutor(1, (task) -> {
				Thread thread = new Thread(task, "ergate-delayer");
				thread.setDaemon(true);
				return thread;
			});
			this.executor.setRemoveOnCancelPolicy(true);
		}
		long delay = Math.max(0, Duration.between(this.clock.instant(), due).toNanos());
		Release release = new Release(job);
		this.pending.add(release);
		this.executor.schedule(release, delay, TimeUnit.NANOSECONDS);
	}

	synchronized void shutdown() {
		ScheduledExecutorService current = this.executor;
		this.executor = null;
		if (current == null) {
			return;
		}
		current.shutdownNow();
		List<Release> remaining = List.copyOf(this.pending);
		for (Release release : remaining) {
			release.run();
		}
		if (!remaining.isEmpty()) {
			logger.info("Put {} delayed job(s) back on the queue on shutdown", remaining.size());
		}
	}

	private final class Release implements Runnable {

		private final Job job;

		Release(Job job) {
			this.job = job;
		}

		@Override
		public void run() {
			if (!Delayer.this.pending.remove(this)) {
				return;
			}
			try {
				Delayer.this.queue.put(this.job);
			}
			catch (RuntimeException ex) {
				logger.error("Could not put delayed job {} back on the queue; its last state is {}", this.job.id(),
						this.job, ex);
			}
		}

	}

}
