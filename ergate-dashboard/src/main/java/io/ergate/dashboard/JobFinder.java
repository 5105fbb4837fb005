package io.ergate.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.ergate.Job;
import io.ergate.JobHistory;
import io.ergate.JobStatus;
import io.ergate.JobTransition;
import io.ergate.QueryableStateStore;
import org.jspecify.annotations.Nullable;

/**
 * Finds the jobs one page of the job list shows: by id, or by workflow, status and age, newest first,
 * from a {@link QueryableStateStore}; the age comes from the store's {@link JobHistory} when it has one.
 */
final class JobFinder {

	/** How many jobs a filter on the age reads at most, newest first, before it gives up. */
	static final int MAX_SCANNED = 10_000;

	private static final int CHUNK = 200;

	private final QueryableStateStore store;

	private final @Nullable JobHistory history;

	private final Clock clock;

	JobFinder(QueryableStateStore store, @Nullable JobHistory history, Clock clock) {
		this.store = store;
		this.history = history;
		this.clock = clock;
	}

	boolean knowsAges() {
		return this.history != null;
	}

	Page find(Filter filter, int page, int pageSize) {
		Instant now = this.clock.instant();
		if (filter.id() != null) {
			Optional<Job> job = this.store.findById(filter.id());
			return new Page(job.map((found) -> List.of(row(found, now))).orElse(List.of()), 0, false);
		}
		int offset = page * pageSize;
		if (filter.within() == null || this.history == null) {
			List<Job> jobs = this.store.findJobs(filter.workflow(), filter.status(), offset, pageSize + 1);
			return new Page(rows(jobs.subList(0, Math.min(pageSize, jobs.size())), now), page, jobs.size() > pageSize);
		}
		Instant since = now.minus(filter.within());
		List<JobRow> matching = new ArrayList<>();
		int scanned = 0;
		int skipped = 0;
		while (scanned < MAX_SCANNED) {
			List<Job> chunk = this.store.findJobs(filter.workflow(), filter.status(), scanned, CHUNK);
			for (Job job : chunk) {
				List<JobTransition> transitions = this.history.history(job.id());
				if (!transitions.isEmpty() && transitions.get(0).time().isBefore(since)) {
					return new Page(matching, page, false);
				}
				if (skipped < offset) {
					skipped++;
					continue;
				}
				if (matching.size() == pageSize) {
					return new Page(matching, page, true);
				}
				matching.add(JobRow.of(job, transitions, now));
			}
			if (chunk.size() < CHUNK) {
				break;
			}
			scanned += chunk.size();
		}
		return new Page(matching, page, false);
	}

	private List<JobRow> rows(List<Job> jobs, Instant now) {
		return jobs.stream().map((job) -> row(job, now)).toList();
	}

	JobRow row(Job job, Instant now) {
		List<JobTransition> transitions = (this.history != null && job.id() != null) ? this.history.history(job.id())
				: List.of();
		return JobRow.of(job, transitions, now);
	}

	/**
	 * What the job list is filtered by.
	 * @param workflow only jobs of this workflow
	 * @param status only jobs in this status
	 * @param within only jobs first recorded this long ago or less
	 * @param id only the job of this id
	 */
	record Filter(@Nullable String workflow, @Nullable JobStatus status, @Nullable Duration within,
			@Nullable String id) {

	}

	/**
	 * One page of the job list.
	 * @param rows the jobs
	 * @param page its number, from 0
	 * @param hasNext whether more jobs match
	 */
	record Page(List<JobRow> rows, int page, boolean hasNext) {

	}

}
