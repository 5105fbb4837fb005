package io.ergate.memory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import io.ergate.FencingStateStore;
import io.ergate.Job;
import io.ergate.JobHistory;
import io.ergate.JobStatus;
import io.ergate.JobTransition;
import io.ergate.QueryableStateStore;
import org.jspecify.annotations.Nullable;

/**
 * A state store in this process's memory: the latest state of each job, by id. Jobs without an id
 * are not kept. Everything is lost when the process ends; use it for tests, development and jobs
 * that may be lost.
 * <p>
 * Its {@linkplain FencingStateStore fenced writes} refuse a state the job has moved past, so that a
 * step a queue delivers twice does not fork its job.
 * <p>
 * To keep memory bounded it forgets the oldest jobs in a final status once more than
 * {@code maxFinishedJobs} of them are kept (default 100,000).
 * <p>
 * As a {@link JobHistory} it keeps, for each job it keeps, the first state recorded and the latest
 * ones, up to {@code historyPerJob} states in all, with the time each was recorded. The history is off
 * unless asked for ({@link #InMemoryStateStore(int, int)}; the Spring Boot starter's store keeps
 * {@value #DEFAULT_HISTORY_PER_JOB} states a job, {@code ergate.in-memory.history-per-job}): it costs
 * about half the throughput of a 2-million-steps-a-second engine.
 */
public final class InMemoryStateStore implements QueryableStateStore, FencingStateStore, JobHistory {

	/** How many states of each job a store with a history keeps by default (the starter's default). */
	public static final int DEFAULT_HISTORY_PER_JOB = 32;

	private final Map<Object, Entry> jobs = new ConcurrentHashMap<>();

	private final AtomicLong sequence = new AtomicLong();

	/** The ids of the jobs that reached a final status, oldest first: a ring, grown up to maxFinishedJobs. */
	private final Object finishedLock = new Object();

	private @Nullable Object[] finished;

	private int finishedHead;

	private int finishedCount;

	private final int maxFinishedJobs;

	private final int historyPerJob;

	/**
	 * Creates a store keeping up to 100,000 finished jobs, without a history.
	 */
	public InMemoryStateStore() {
		this(100_000);
	}

	/**
	 * Creates a store keeping up to the given number of finished jobs.
	 * @param maxFinishedJobs how many jobs in a final status to keep before forgetting the oldest
	 */
	public InMemoryStateStore(int maxFinishedJobs) {
		this(maxFinishedJobs, 0);
	}

	/**
	 * Creates a store keeping up to the given number of finished jobs, and of states of each job.
	 * @param maxFinishedJobs how many jobs in a final status to keep before forgetting the oldest
	 * @param historyPerJob how many states of each job to keep for {@link #history(Object)}: the first
	 * and the latest ones; 0 keeps none
	 */
	public InMemoryStateStore(int maxFinishedJobs, int historyPerJob) {
		if (maxFinishedJobs < 1) {
			throw new IllegalArgumentException("maxFinishedJobs must be 1 or more, was " + maxFinishedJobs);
		}
		if (historyPerJob < 0) {
			throw new IllegalArgumentException("historyPerJob must be 0 or more, was " + historyPerJob);
		}
		this.maxFinishedJobs = maxFinishedJobs;
		this.historyPerJob = historyPerJob;
		this.finished = new Object[Math.min(maxFinishedJobs, 1024)];
	}

	@Override
	public void update(Job job) {
		Object id = job.id();
		if (id == null) {
			return;
		}
		Entry entry = this.jobs.get(id);
		boolean wasFinal;
		if (entry == null) {
			Entry created = newEntry(job);
			entry = this.jobs.putIfAbsent(id, created);
			if (entry == null) {
				noteFinished(id, job, false);
				return;
			}
		}
		wasFinal = entry.job.status().isFinal();
		entry.job = job;
		entry.record(job);
		noteFinished(id, job, wasFinal);
	}

	@Override
	public boolean updateIf(Job job, Predicate<Job> allows) {
		Object id = job.id();
		if (id == null) {
			return true;
		}
		Entry entry = this.jobs.get(id);
		if (entry == null) {
			Entry created = newEntry(job);
			entry = this.jobs.putIfAbsent(id, created);
			if (entry == null) {
				noteFinished(id, job, false);
				return true;
			}
		}
		boolean wasFinal;
		synchronized (entry) {
			if (!allows.test(entry.job)) {
				return false;
			}
			wasFinal = entry.job.status().isFinal();
			entry.job = job;
			entry.record(job);
		}
		noteFinished(id, job, wasFinal);
		return true;
	}

	private Entry newEntry(Job job) {
		Entry entry = new Entry(job, this.sequence.incrementAndGet(),
				(this.historyPerJob > 0) ? new TransitionRing(this.historyPerJob) : null);
		entry.record(job);
		return entry;
	}

	private void noteFinished(Object id, Job job, boolean wasFinal) {
		if (!job.status().isFinal() || wasFinal) {
			return;
		}
		Object oldest = remember(id);
		if (oldest != null) {
			Entry entry = this.jobs.get(oldest);
			if (entry != null && entry.job.status().isFinal()) {
				this.jobs.remove(oldest, entry);
			}
		}
	}

	/**
	 * Adds the id of a job that just finished to the ring of finished ids.
	 * @return the id it pushed out, the oldest, once the ring holds maxFinishedJobs ids; else null
	 */
	private @Nullable Object remember(Object id) {
		synchronized (this.finishedLock) {
			@Nullable Object[] ring = this.finished;
			if (this.finishedCount < ring.length) {
				ring[(this.finishedHead + this.finishedCount) % ring.length] = id;
				this.finishedCount++;
				return null;
			}
			if (ring.length < this.maxFinishedJobs) {
				@Nullable Object[] grown = new Object[(int) Math.min(this.maxFinishedJobs, 2L * ring.length)];
				for (int i = 0; i < ring.length; i++) {
					grown[i] = ring[(this.finishedHead + i) % ring.length];
				}
				grown[ring.length] = id;
				this.finished = grown;
				this.finishedHead = 0;
				this.finishedCount++;
				return null;
			}
			Object oldest = ring[this.finishedHead];
			ring[this.finishedHead] = id;
			this.finishedHead = (this.finishedHead + 1 == ring.length) ? 0 : this.finishedHead + 1;
			return oldest;
		}
	}

	@Override
	public Optional<Job> findById(Object id) {
		Entry entry = this.jobs.get(id);
		return (entry != null) ? Optional.of(entry.job) : Optional.empty();
	}

	@Override
	public List<Job> findJobs(@Nullable String workflowName, @Nullable JobStatus status, int offset, int limit) {
		List<Entry> matching = new ArrayList<>();
		for (Entry entry : this.jobs.values()) {
			if ((workflowName == null || workflowName.equals(entry.job.workflowName()))
					&& (status == null || status == entry.job.status())) {
				matching.add(entry);
			}
		}
		matching.sort(Comparator.comparingLong((Entry entry) -> entry.created).reversed());
		return matching.stream().skip(Math.max(0, offset)).limit(Math.max(0, limit)).map((entry) -> entry.job).toList();
	}

	@Override
	public Map<JobStatus, Long> countByStatus() {
		Map<JobStatus, Long> counts = new EnumMap<>(JobStatus.class);
		for (Entry entry : this.jobs.values()) {
			counts.merge(entry.job.status(), 1L, Long::sum);
		}
		return counts;
	}

	@Override
	public boolean deleteFinished(Object id) {
		Entry entry = this.jobs.get(id);
		if (entry == null) {
			return false;
		}
		synchronized (entry) {
			return entry.job.status().isFinal() && this.jobs.remove(id, entry);
		}
	}

	/**
	 * Returns the states the job went through while this store kept it: its first state and the latest
	 * ones, up to {@code historyPerJob} in all, oldest first.
	 * @param jobId the job's id
	 * @return the transitions, empty for a job not kept or when {@code historyPerJob} is 0
	 */
	@Override
	public List<JobTransition> history(Object jobId) {
		Entry entry = this.jobs.get(jobId);
		TransitionRing ring = (entry != null) ? entry.history : null;
		return (ring != null) ? ring.toList() : List.of();
	}

	/**
	 * Returns how many jobs are kept.
	 * @return the count
	 */
	public int size() {
		return this.jobs.size();
	}

	private static final class Entry {

		volatile Job job;

		final long created;

		final @Nullable TransitionRing history;

		Entry(Job job, long created, @Nullable TransitionRing history) {
			this.job = job;
			this.created = created;
			this.history = history;
		}

		void record(Job state) {
			if (this.history != null) {
				this.history.record(state, System.currentTimeMillis());
			}
		}

	}

}
