package io.ergate.memory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import io.ergate.Job;
import io.ergate.JobQueue;
import io.ergate.MeasurableJobQueue;

/**
 * A queue in this process's memory, first in first out, that holds back jobs whose
 * {@code requested_start_time} is in the future until they are due (without polling). Everything is
 * lost when the process ends; use it for tests, development and jobs that may be lost.
 * <p>
 * Jobs that are due travel through a lock-free queue of arrays (no node per job); jobs that are
 * not wait in a priority queue, and waiting workers sleep until the earliest of them is due.
 */
public final class InMemoryJobQueue implements JobQueue, MeasurableJobQueue {

	/** Wakes a waiting worker so that it watches the delayed jobs; never returned. */
	private static final Job WAKE = Job.builder("ergate.internal.wake").build();

	private final ReadyQueue<Job> ready = new ReadyQueue<>();

	/** How many {@link #WAKE} tokens are in the ready queue, which its size counts too. */
	private final AtomicInteger wakes = new AtomicInteger();

	private final ReentrantLock delayedLock = new ReentrantLock();

	private final PriorityQueue<Delayed> delayed = new PriorityQueue<>(
			Comparator.comparing(Delayed::due).thenComparingLong(Delayed::sequence));

	private volatile int delayedCount;

	private final Clock clock;

	private static final int MAX_DEAD_LETTERS = 10_000;

	private final ArrayDeque<DeadLetter> deadLetters = new ArrayDeque<>();

	private long sequence;

	/**
	 * Creates an empty queue on the system clock.
	 */
	public InMemoryJobQueue() {
		this(Clock.systemUTC());
	}

	/**
	 * Creates an empty queue whose delays follow the given clock.
	 * @param clock the clock
	 */
	public InMemoryJobQueue(Clock clock) {
		this.clock = clock;
	}

	@Override
	public Job getOne() throws InterruptedException {
		boolean woken = false;
		while (true) {
			Job job;
			if (this.delayedCount == 0) {
				job = this.ready.take();
			}
			else {
				job = this.ready.poll();
				if (job == null) {
					job = watch();
				}
			}
			if (job == WAKE) {
				this.wakes.decrementAndGet();
				woken = true;
			}
			else if (job != null) {
				if (woken && this.delayedCount > 0) {
					// the wake-up taken on the way was meant for a waiting worker: pass it on, so that one
					// watches the delayed jobs
					offerWake();
				}
				return job;
			}
		}
	}

	/**
	 * Moves the delayed jobs that are due to the ready queue, then waits for a job, at most until the
	 * next delayed one is due.
	 */
	private Job watch() throws InterruptedException {
		long wait = releaseDue();
		if (wait < 0) {
			return this.ready.take();
		}
		if (wait == 0) {
			return this.ready.poll();
		}
		Job job = this.ready.poll(wait, TimeUnit.NANOSECONDS);
		if (job != null && job != WAKE && this.delayedCount > 0) {
			// leaving with a job: wake a worker that may wait without a timer, so one watches the delayed jobs
			offerWake();
		}
		return job;
	}

	/** @return nanoseconds until the next delayed job is due, 0 when some were released, -1 when none is left */
	private long releaseDue() {
		this.delayedLock.lock();
		try {
			Instant now = this.clock.instant();
			boolean released = false;
			Delayed next;
			while ((next = this.delayed.peek()) != null && !next.due.isAfter(now)) {
				this.delayed.poll();
				this.ready.offer(next.job);
				released = true;
			}
			this.delayedCount = this.delayed.size();
			if (released) {
				return 0;
			}
			return (next != null) ? Math.max(1, Duration.between(now, next.due).toNanos()) : -1;
		}
		finally {
			this.delayedLock.unlock();
		}
	}

	@Override
	public void put(Job job) {
		Instant due = job.requestedStartTime();
		if (due == null || !due.isAfter(this.clock.instant())) {
			this.ready.offer(job);
			return;
		}
		this.delayedLock.lock();
		try {
			this.delayed.add(new Delayed(job, due, this.sequence++));
			this.delayedCount = this.delayed.size();
		}
		finally {
			this.delayedLock.unlock();
		}
		// a waiting worker must (re)arm its timer for this job
		offerWake();
	}

	private void offerWake() {
		this.wakes.incrementAndGet();
		this.ready.offer(WAKE);
	}

	@Override
	public boolean supportsDelayedDelivery() {
		return true;
	}

	/**
	 * Returns how many jobs wait in the queue, due or not.
	 * @return the count
	 */
	public int size() {
		return (int) Math.max(0, this.ready.size() - this.wakes.get() + this.delayedCount);
	}

	@Override
	public long depth() {
		return size();
	}

	/**
	 * Returns how many jobs wait for a start time in the future.
	 * @return the count
	 */
	public int delayedSize() {
		return this.delayedCount;
	}

	private record Delayed(Job job, Instant due, long sequence) {
	}

	/**
	 * Returns the jobs the engine moved out of this queue for good (a final status, a job that
	 * cannot run here, poison), oldest first; the latest 10,000 are kept.
	 * @return the dead letters
	 */
	public List<DeadLetter> deadLetters() {
		synchronized (this.deadLetters) {
			return List.copyOf(this.deadLetters);
		}
	}

	/**
	 * Moves a job out of this queue for good, with the reason: the engine does so with a job that
	 * cannot run. Kept in {@link #deadLetters()}.
	 * @param job the job as it was taken
	 * @param reason why it cannot run
	 */
	public void deadLetter(Job job, String reason) {
		synchronized (this.deadLetters) {
			if (this.deadLetters.size() == MAX_DEAD_LETTERS) {
				this.deadLetters.removeFirst();
			}
			this.deadLetters.addLast(new DeadLetter(job, reason, this.clock.instant()));
		}
	}

	/**
	 * A job moved out of the queue for good.
	 * @param job the job as it was taken
	 * @param reason why it cannot run
	 * @param time when it was moved
	 */
	public record DeadLetter(Job job, String reason, Instant time) {
	}

}
