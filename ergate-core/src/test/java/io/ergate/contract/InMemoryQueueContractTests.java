package io.ergate.contract;

import java.util.List;
import java.util.function.Consumer;

import io.ergate.memory.InMemoryJobQueue;
import io.ergate.memory.InMemoryStateStore;
import io.ergate.Job;
import io.ergate.JobQueue;
import io.ergate.QueryableStateStore;

/**
 * The queue contract on the in-memory queue and store.
 */
class InMemoryQueueContractTests extends JobQueueContract {

	@Override
	protected QueueBackend createBackend() {
		InMemoryJobQueue queue = new InMemoryJobQueue();
		InMemoryStateStore store = new InMemoryStateStore();
		return new QueueBackend() {

			@Override
			public JobQueue queue() {
				return queue;
			}

			@Override
			public QueryableStateStore store() {
				return store;
			}

			@Override
			public boolean takesRawPayloads() {
				return false;
			}

			@Override
			public void putRaw(String payload) {
				throw new UnsupportedOperationException("the in-memory queue holds jobs, not payloads");
			}

			@Override
			public List<String> deadLetterReasons() {
				return queue.deadLetters().stream().map(InMemoryJobQueue.DeadLetter::reason).toList();
			}

			@Override
			public Job takeAndDie(Consumer<Job> beforeDying) {
				throw new UnsupportedOperationException("a job taken from the in-memory queue is gone from it");
			}

			@Override
			public void close() {
			}

		};
	}

}
