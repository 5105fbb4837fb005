package io.ergate.autoconfigure.health;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.ergate.memory.InMemoryStateStore;
import io.ergate.Job;
import io.ergate.JobStatus;
import io.ergate.QueryableStateStore;
import org.jspecify.annotations.Nullable;

/**
 * An in-memory store that throws on every write while it is broken.
 */
class BreakableStateStore implements QueryableStateStore {

	private final InMemoryStateStore delegate = new InMemoryStateStore();

	private volatile boolean broken;

	void setBroken(boolean broken) {
		this.broken = broken;
	}

	@Override
	public void update(Job job) {
		if (this.broken) {
			throw new IllegalStateException("the store is broken");
		}
		this.delegate.update(job);
	}

	@Override
	public Optional<Job> findById(Object id) {
		return this.delegate.findById(id);
	}

	@Override
	public List<Job> findJobs(@Nullable String workflowName, @Nullable JobStatus status, int offset, int limit) {
		return this.delegate.findJobs(workflowName, status, offset, limit);
	}

	@Override
	public Map<JobStatus, Long> countByStatus() {
		return this.delegate.countByStatus();
	}

}
