package io.ergate.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import io.ergate.Job;
import io.ergate.JobStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class InMemoryStateStoreTests {

	private static Job job(Object id, JobStatus status) {
		return Job.builder("wf").id(id).status(status).build();
	}

	@Test
	void keepsTheLatestStateOfEachJobById() {
		InMemoryStateStore store = new InMemoryStateStore();
		store.update(job(1, JobStatus.RUNNING));
		store.update(job(2, JobStatus.QUEUED));
		store.update(job(1, JobStatus.COMPLETED));
		assertThat(store.findById(1)).map(Job::status).contains(JobStatus.COMPLETED);
		assertThat(store.findById(2)).map(Job::status).contains(JobStatus.QUEUED);
		assertThat(store.findById(3)).isEmpty();
		assertThat(store.size()).isEqualTo(2);
	}

	@Test
	void jobsWithoutAnIdAreNotKept() {
		InMemoryStateStore store = new InMemoryStateStore();
		store.update(Job.builder("wf").build());
		assertThat(store.size()).isZero();
	}

	@Test
	void forgetsTheOldestFinishedJobsBeyondTheLimit() {
		InMemoryStateStore store = new InMemoryStateStore(3);
		store.update(job("running", JobStatus.RUNNING));
		for (int i = 1; i <= 5; i++) {
			store.update(job(i, JobStatus.RUNNING));
			store.update(job(i, (i % 2 == 0) ? JobStatus.FAILED : JobStatus.COMPLETED));
		}
		assertThat(store.findById(1)).isEmpty();
		assertThat(store.findById(2)).isEmpty();
		assertThat(store.findById(3)).isPresent();
		assertThat(store.findById(4)).isPresent();
		assertThat(store.findById(5)).isPresent();
		assertThat(store.findById("running")).map(Job::status).contains(JobStatus.RUNNING);
		assertThat(store.size()).isEqualTo(4);
	}

	@Test
	void aJobRecordedFinalTwiceCountsOnce() {
		InMemoryStateStore store = new InMemoryStateStore(2);
		store.update(job(1, JobStatus.COMPLETED));
		store.update(job(1, JobStatus.COMPLETED));
		store.update(job(1, JobStatus.COMPLETED));
		store.update(job(2, JobStatus.COMPLETED));
		assertThat(store.findById(1)).isPresent();
		assertThat(store.findById(2)).isPresent();
	}

	@Test
	void aJobThatRunsAgainIsNotForgottenWhileItRuns() {
		InMemoryStateStore store = new InMemoryStateStore(1);
		store.update(job(1, JobStatus.COMPLETED));
		store.update(job(1, JobStatus.RUNNING));
		store.update(job(2, JobStatus.COMPLETED));
		assertThat(store.findById(1)).map(Job::status).contains(JobStatus.RUNNING);
		assertThat(store.findById(2)).isPresent();
	}

	@Test
	void retentionHoldsAcrossGrowthOfTheRing() {
		int limit = 5_000;
		InMemoryStateStore store = new InMemoryStateStore(limit);
		for (int i = 0; i < 3 * limit + 7; i++) {
			store.update(job(i, JobStatus.COMPLETED));
		}
		assertThat(store.size()).isEqualTo(limit);
		assertThat(store.findById(2 * limit + 6)).isEmpty();
		for (int i = 2 * limit + 7; i < 3 * limit + 7; i++) {
			assertThat(store.findById(i)).as("job %d", i).isPresent();
		}
	}

	@Test
	void findsPagesMostRecentlyCreatedFirstAndCountsByStatus() {
		InMemoryStateStore store = new InMemoryStateStore();
		store.update(job("a", JobStatus.RUNNING));
		store.update(Job.builder("other").id("b").status(JobStatus.QUEUED).build());
		store.update(job("c", JobStatus.QUEUED));
		store.update(job("a", JobStatus.COMPLETED));
		assertThat(store.findJobs(null, null, 0, 10)).extracting(Job::id).containsExactly("c", "b", "a");
		assertThat(store.findJobs("wf", null, 0, 10)).extracting(Job::id).containsExactly("c", "a");
		assertThat(store.findJobs(null, JobStatus.QUEUED, 1, 10)).extracting(Job::id).containsExactly("b");
		assertThat(store.countByStatus()).isEqualTo(Map.of(JobStatus.QUEUED, 2L, JobStatus.COMPLETED, 1L));
	}

	@Test
	void staysBoundedAndConsistentUnderConcurrentUpdates() throws Exception {
		int threads = 4;
		int perThread = 20_000;
		int limit = 1_000;
		InMemoryStateStore store = new InMemoryStateStore(limit);
		CountDownLatch start = new CountDownLatch(1);
		AtomicReference<Throwable> failure = new AtomicReference<>();
		List<Thread> workers = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			int base = t * perThread;
			Thread worker = new Thread(() -> {
				try {
					start.await();
					for (int i = base; i < base + perThread; i++) {
						store.update(job(i, JobStatus.RUNNING));
						store.update(job(i, JobStatus.QUEUED));
						store.update(job(i, JobStatus.COMPLETED));
					}
				}
				catch (Throwable ex) {
					failure.set(ex);
				}
			});
			workers.add(worker);
			worker.start();
		}
		start.countDown();
		for (Thread worker : workers) {
			worker.join();
		}
		assertThat(failure.get()).isNull();
		assertThat(store.size()).isEqualTo(limit);
		assertThat(store.countByStatus()).isEqualTo(Map.of(JobStatus.COMPLETED, (long) limit));
	}

	@Test
	void limitMustBePositive() {
		assertThatIllegalArgumentException().isThrownBy(() -> new InMemoryStateStore(0))
			.withMessageContaining("maxFinishedJobs");
	}

}
