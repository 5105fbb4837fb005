package io.ergate.dashboard;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

import io.ergate.JobListener;
import io.ergate.JobStatus;
import io.ergate.StepOutcome;
import io.ergate.StepResult;

/**
 * How many jobs completed, failed and were retried in each of the last 60 minutes, in this process:
 * a ring of per-minute counters, fed as a {@link JobListener} of the engine (a step costs a status
 * check). Retried are the steps a retry policy runs again and the jobs an operator runs again.
 */
final class Throughput implements JobListener {

	static final int MINUTES = 60;

	private static final int COMPLETED = 0;

	private static final int FAILED = 1;

	private static final int RETRIED = 2;

	private final Clock clock;

	/** Per slot: the minute (since the epoch) it counts, then its three counters. */
	private final AtomicLongArray slots = new AtomicLongArray(MINUTES * 4);

	Throughput(Clock clock) {
		this.clock = clock;
		for (int slot = 0; slot < MINUTES; slot++) {
			this.slots.set(slot * 4, -1);
		}
	}

	@Override
	public void onJobRunEnd(StepResult result) {
		JobStatus status = result.job().status();
		if (status == JobStatus.COMPLETED) {
			count(COMPLETED);
		}
		else if (status == JobStatus.SCHEDULED
				&& (result.outcome() == StepOutcome.RETRY || result.outcome() == StepOutcome.TIMEOUT)) {
			count(RETRIED);
		}
	}

	@Override
	public void onJobRunFailure(StepResult result) {
		if (result.job().status() == JobStatus.FAILED) {
			count(FAILED);
		}
	}

	/**
	 * Counts jobs an operator put back to run again.
	 * @param jobs how many
	 */
	void retried(int jobs) {
		for (int i = 0; i < jobs; i++) {
			count(RETRIED);
		}
	}

	private void count(int counter) {
		long minute = this.clock.millis() / 60_000;
		int base = (int) (minute % MINUTES) * 4;
		long stamp = this.slots.get(base);
		if (stamp != minute) {
			synchronized (this) {
				if (this.slots.get(base) != minute) {
					this.slots.set(base + 1, 0);
					this.slots.set(base + 2, 0);
					this.slots.set(base + 3, 0);
					this.slots.set(base, minute);
				}
			}
		}
		this.slots.incrementAndGet(base + 1 + counter);
	}

	/**
	 * Returns the counts of the last 60 minutes, oldest first, the current minute last.
	 * @return 60 minutes
	 */
	List<Minute> lastHour() {
		long now = this.clock.millis() / 60_000;
		List<Minute> minutes = new ArrayList<>(MINUTES);
		for (long minute = now - MINUTES + 1; minute <= now; minute++) {
			int base = (int) (minute % MINUTES) * 4;
			if (this.slots.get(base) == minute) {
				minutes.add(new Minute(minute * 60_000, this.slots.get(base + 1 + COMPLETED),
						this.slots.get(base + 1 + FAILED), this.slots.get(base + 1 + RETRIED)));
			}
			else {
				minutes.add(new Minute(minute * 60_000, 0, 0, 0));
			}
		}
		return minutes;
	}

	/**
	 * The counts of one minute.
	 * @param startMillis when the minute began, in milliseconds since the epoch
	 * @param completed jobs that completed in it
	 * @param failed jobs that failed in it
	 * @param retried jobs put back to run again in it
	 */
	record Minute(long startMillis, long completed, long failed, long retried) {

	}

}
