package io.ergate;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Tells a job that keeps failing in the queue or the store (poison: a value the store cannot write,
 * say) from an outage of the queue or the store (every job fails): a failure counts against a job
 * only when other jobs went through since its previous one. A job is poison once its handling failed
 * {@code poisonAttempts} times so, and a job that failed is given back behind the others, never at
 * the head of the queue. Counted in this process only; the queues' delivery limits bound the rest.
 */
final class HandlingFailures {

	/** How many failing jobs are remembered; the oldest are forgotten first. */
	private static final int REMEMBERED = 10_000;

	private final int poisonAttempts;

	private final LongSupplier successes;

	private final Duration delayInitial;

	private final Duration delayMax;

	private final Map<String, Failures> failing = new LinkedHashMap<>(64, 0.75f, true) {

		private static final long serialVersionUID = 1L;

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
			return size() > REMEMBERED;
		}

	};

	/**
	 * @param poisonAttempts failures while others go through that make a job poison
	 * @param successes how many jobs this engine has handled so far
	 * @param delayInitial the wait before a failed job is delivered again, doubling per counted failure
	 * @param delayMax at most this
	 */
	HandlingFailures(int poisonAttempts, LongSupplier successes, Duration delayInitial, Duration delayMax) {
		this.poisonAttempts = poisonAttempts;
		this.successes = successes;
		this.delayInitial = delayInitial;
		this.delayMax = delayMax;
	}

	/** Counts a failed handling of a job and tells what to do with it. */
	Verdict failed(Job job) {
		String key = job.id() + "\u0000" + job.stepsCompleted() + "\u0000" + job.stepName();
		long handled = this.successes.getAsLong();
		synchronized (this.failing) {
			Failures failures = this.failing.get(key);
			boolean othersWentThrough;
			if (failures == null) {
				failures = new Failures(handled);
				this.failing.put(key, failures);
				othersWentThrough = false;
			}
			else {
				othersWentThrough = handled > failures.handledAtLast;
				if (othersWentThrough) {
					failures.count++;
				}
				failures.handledAtLast = handled;
			}
			boolean poison = failures.count >= this.poisonAttempts;
			if (poison) {
				this.failing.remove(key);
			}
			long delay = Math.min(this.delayMax.toMillis(),
					this.delayInitial.toMillis() << Math.min(20, failures.count - 1));
			return new Verdict(failures.count, othersWentThrough, poison, Duration.ofMillis(delay));
		}
	}

	int poisonAttempts() {
		return this.poisonAttempts;
	}

	/**
	 * What to do with a job whose handling failed.
	 * @param count the failures counted against the job
	 * @param othersWentThrough whether other jobs were handled since its previous failure: the queue
	 * and the store work, the job is the problem
	 * @param poison whether the job is to be dead-lettered
	 * @param delay how long it waits before it is delivered again
	 */
	record Verdict(int count, boolean othersWentThrough, boolean poison, Duration delay) {
	}

	private static final class Failures {

		int count = 1;

		long handledAtLast;

		Failures(long handledAtLast) {
			this.handledAtLast = handledAtLast;
		}

	}

}
