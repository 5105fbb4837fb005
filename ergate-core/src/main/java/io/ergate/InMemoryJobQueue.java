package io.ergate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A queue in this process's memory, first in first out, that holds back jobs whose
 * {@code requested_start_time} is in the future until they are due (without polling). Everything is
 * lost when the process ends; use it for tests, development and jobs that may be lost.
 */
public final class InMemoryJobQueue implements JobQueue, MeasurableJobQueue {

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition available = this.lock.newCondition();

	private final ArrayDeque<Job> ready = new ArrayDeque<>();

	private final PriorityQueue<Delayed> delayed = new PriorityQueue<>(Comparator.comparing(Delayed::due)
		.thenComparingLong(Delayed::sequence));

	private final Clock clock;

	private long sequence;

	private int waiting;

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
		this.lock.lockInterruptibly();
		try {
			while (true) {
				Job job = this.ready.poll();
				if (job == null) {
					Delayed next = this.delayed.peek();
					if (next == null) {
						await(-1);
						continue;
					}
					long wait = Duration.between(this.clock.instant(), next.due).toNanos();
					if (wait > 0) {
						await(wait);
						continue;
					}
					job = this.delayed.poll().job;
				}
				if (this.waiting > 0 && !(this.ready.isEmpty() && this.delayed.isEmpty())) {
					// hand over: another waiter must watch what is left
					this.available.signal();
				}
				return job;
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	private void await(long nanos) throws InterruptedException {
		this.waiting++;
		try {
			if (nanos < 0) {
				this.available.await();
			}
			else {
				this.available.awaitNanos(nanos);
			}
		}
		finally {
			this.waiting--;
		}
	}

	@Override
	public void put(Job job) {
		Instant due = job.requestedStartTime();
		boolean later = due != null && due.isAfter(this.clock.instant());
		this.lock.lock();
		try {
			if (later) {
				Delayed head = this.delayed.peek();
				this.delayed.add(new Delayed(job, due, this.sequence++));
				if (this.waiting > 0 && (head == null || due.isBefore(head.due))) {
					// a sleeper may be waiting for a later job: let one re-arm its timer
					this.available.signal();
				}
			}
			else {
				this.ready.add(job);
				if (this.waiting > 0) {
					this.available.signal();
				}
			}
		}
		finally {
			this.lock.unlock();
		}
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
		this.lock.lock();
		try {
			return this.ready.size() + this.delayed.size();
		}
		finally {
			this.lock.unlock();
		}
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
		this.lock.lock();
		try {
			return this.delayed.size();
		}
		finally {
			this.lock.unlock();
		}
	}

	private record Delayed(Job job, Instant due, long sequence) {
	}

}
