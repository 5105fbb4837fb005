package io.ergate.memory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.ergate.Job;
import io.ergate.JobStatus;
import io.ergate.JobTransition;
import org.jspecify.annotations.Nullable;

/**
 * The states one job went through, for {@link InMemoryStateStore#history(Object)}: its first state and
 * the latest ones, in parallel arrays that grow up to a bound, so recording allocates nothing once grown.
 * Slot 0 keeps the first state; slots 1 and up are a ring of the latest {@code max - 1}.
 */
final class TransitionRing {

	private static final JobStatus[] STATUSES = JobStatus.values();

	private final int max;

	private long[] times;

	private double[] percents;

	private int[] stepsCompleted;

	private byte[] statuses;

	private @Nullable String[] stepNames;

	/** How many states were recorded in all, some of which the ring may have overwritten. */
	private long recorded;

	TransitionRing(int max) {
		this.max = max;
		int capacity = Math.min(max, 4);
		this.times = new long[capacity];
		this.percents = new double[capacity];
		this.stepsCompleted = new int[capacity];
		this.statuses = new byte[capacity];
		this.stepNames = new String[capacity];
	}

	synchronized void record(Job job, long epochMillis) {
		long n = this.recorded++;
		int slot;
		if (n < this.max) {
			slot = (int) n;
			if (slot == this.times.length) {
				grow();
			}
		}
		else if (this.max > 1) {
			slot = 1 + (int) ((n - 1) % (this.max - 1));
		}
		else {
			return;
		}
		this.times[slot] = epochMillis;
		this.percents[slot] = job.percentCompleted();
		this.stepsCompleted[slot] = job.stepsCompleted();
		this.statuses[slot] = (byte) job.status().ordinal();
		this.stepNames[slot] = job.stepName();
	}

	private void grow() {
		int capacity = Math.min(this.max, this.times.length * 2);
		this.times = Arrays.copyOf(this.times, capacity);
		this.percents = Arrays.copyOf(this.percents, capacity);
		this.stepsCompleted = Arrays.copyOf(this.stepsCompleted, capacity);
		this.statuses = Arrays.copyOf(this.statuses, capacity);
		this.stepNames = Arrays.copyOf(this.stepNames, capacity);
	}

	synchronized List<JobTransition> toList() {
		List<JobTransition> list = new ArrayList<>((int) Math.min(this.recorded, this.max));
		if (this.recorded <= this.max) {
			for (int slot = 0; slot < this.recorded; slot++) {
				list.add(transition(slot));
			}
			return list;
		}
		list.add(transition(0));
		int ring = this.max - 1;
		int oldest = 1 + (int) ((this.recorded - 1) % ring);
		for (int i = 0; i < ring; i++) {
			list.add(transition(1 + (oldest - 1 + i) % ring));
		}
		return list;
	}

	private JobTransition transition(int slot) {
		return new JobTransition(STATUSES[this.statuses[slot]], this.stepNames[slot], this.stepsCompleted[slot],
				this.percents[slot], Instant.ofEpochMilli(this.times[slot]));
	}

}
