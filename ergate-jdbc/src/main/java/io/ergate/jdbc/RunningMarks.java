package io.ergate.jdbc;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.ergate.Job;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deferred RUNNING marks of a {@link JdbcStateStore}: each is written only once its step has run
 * for {@link JdbcOptions#runningStateDelay()}, by a daemon thread; a later state of the job drops it
 * or waits for it, so a mark never lands after a newer state, and a read writes the pending ones first.
 */
final class RunningMarks {

	/** The store's log category, which users may already tune. */
	private static final Logger logger = LoggerFactory.getLogger(JdbcStateStore.class);

	private final StateTable table;

	private final Duration delay;

	private final ConcurrentHashMap<String, Mark> pending = new ConcurrentHashMap<>();

	private volatile @Nullable ScheduledExecutorService writer;

	RunningMarks(StateTable table, Duration delay) {
		this.table = table;
		this.delay = delay;
	}

	/** Writes the mark once the delay has passed, unless a later state of the job comes first. */
	void defer(String key, Job running) {
		Mark mark = new Mark(key, running);
		this.pending.put(key, mark);
		writer().schedule(mark, this.delay.toNanos(), TimeUnit.NANOSECONDS);
	}

	/**
	 * Before any other write of a job's state: drops its RUNNING mark when not written yet (the new
	 * state replaces it), or waits until it is written, so that it can never land after the new state.
	 */
	void settle(String key) {
		Mark mark = this.pending.remove(key);
		if (mark != null) {
			mark.cancelOrAwait();
		}
	}

	boolean isEmpty() {
		return this.pending.isEmpty();
	}

	/** Before a read: writes the marks not written yet, so that the read sees them. */
	void flush() {
		for (Mark mark : this.pending.values()) {
			if (this.pending.remove(mark.key, mark)) {
				mark.writeNowOrAwait();
			}
		}
	}

	private ScheduledExecutorService writer() {
		ScheduledExecutorService writer = this.writer;
		if (writer == null) {
			synchronized (this.pending) {
				writer = this.writer;
				if (writer == null) {
					ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (task) -> {
						Thread thread = new Thread(task, "ergate-jdbc-running-" + this.table.name);
						thread.setDaemon(true);
						return thread;
					});
					executor.setRemoveOnCancelPolicy(true);
					writer = executor;
					this.writer = writer;
				}
			}
		}
		return writer;
	}

	/** A RUNNING mark waiting to be written; its flags are guarded by itself. */
	private final class Mark implements Runnable {

		final String key;

		final Job job;

		private boolean started;

		private boolean cancelled;

		private boolean done;

		Mark(String key, Job job) {
			this.key = key;
			this.job = job;
		}

		@Override
		public void run() {
			if (!begin()) {
				return;
			}
			try {
				RunningMarks.this.table.write(this.job);
			}
			catch (RuntimeException ex) {
				// best effort, like the mark itself: the job shows its previous state until its next one
				logger.warn("Recording the RUNNING state of job {} failed", this.job.id(), ex);
			}
			finally {
				finish();
				RunningMarks.this.pending.remove(this.key, this);
			}
		}

		void writeNowOrAwait() {
			if (begin()) {
				try {
					RunningMarks.this.table.write(this.job);
				}
				finally {
					finish();
				}
			}
			else {
				cancelOrAwait();
			}
		}

		private synchronized boolean begin() {
			if (this.started || this.cancelled) {
				return false;
			}
			this.started = true;
			return true;
		}

		private synchronized void finish() {
			this.done = true;
			notifyAll();
		}

		synchronized void cancelOrAwait() {
			if (!this.started) {
				this.cancelled = true;
				return;
			}
			boolean interrupted = false;
			while (!this.done) {
				try {
					wait();
				}
				catch (InterruptedException ex) {
					interrupted = true;
				}
			}
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}

	}

}
