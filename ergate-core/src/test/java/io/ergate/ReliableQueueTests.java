package io.ergate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.ergate.memory.InMemoryJobQueue;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine's use of the reliable-queue contract: a job leaves the queue only when its delivery is
 * completed, after the new state is stored and the successor put.
 */
class ReliableQueueTests {

	/** A reliable queue in memory that records what the engine does with each delivery. */
	static final class RecordingReliableQueue implements ReliableJobQueue {

		final InMemoryJobQueue ready = new InMemoryJobQueue();

		/** Jobs delivered as they are, even when early: how a job could arrive from another producer. */
		final java.util.Queue<Job> inbox = new java.util.concurrent.ConcurrentLinkedQueue<>();

		final Map<Object, Integer> deliveries = new ConcurrentHashMap<>();

		final List<String> events = Collections.synchronizedList(new ArrayList<>());

		final AtomicInteger unacknowledged = new AtomicInteger();

		final List<String> deadLetters = Collections.synchronizedList(new ArrayList<>());

		boolean hasDeadLetters;

		@Override
		public JobDelivery take() throws InterruptedException {
			Job early = this.inbox.poll();
			Job job = (early != null) ? early : this.ready.getOne();
			int count = this.deliveries.merge(job.id() + "@" + job.stepName(), 1, Integer::sum);
			this.unacknowledged.incrementAndGet();
			return new JobDelivery() {
				@Override
				public Job job() {
					return job;
				}

				@Override
				public int deliveryCount() {
					return count;
				}

				@Override
				public void complete(Job newState, StateStore stateStore) {
					stateStore.update(newState);
					RecordingReliableQueue.this.events.add("complete " + newState.status());
					if (!newState.status().isFinal()) {
						put(newState);
					}
					RecordingReliableQueue.this.unacknowledged.decrementAndGet();
				}

				@Override
				public void acknowledge() {
					RecordingReliableQueue.this.events.add("acknowledge");
					RecordingReliableQueue.this.unacknowledged.decrementAndGet();
				}

				@Override
				public boolean deadLetter(String reason) {
					if (!RecordingReliableQueue.this.hasDeadLetters) {
						return false;
					}
					RecordingReliableQueue.this.events.add("dead-letter");
					RecordingReliableQueue.this.deadLetters.add(job.id() + ": " + reason);
					RecordingReliableQueue.this.unacknowledged.decrementAndGet();
					return true;
				}

				@Override
				public void release() {
					RecordingReliableQueue.this.events.add("release");
					RecordingReliableQueue.this.unacknowledged.decrementAndGet();
					RecordingReliableQueue.this.ready.put(job);
				}
			};
		}

		@Override
		public void put(Job job) {
			this.ready.put(job);
		}

	}

	@Test
	void deliveriesAreCompletedWithTheNewStateAndRedeliveredWhenTheStoreFails() {
		RecordingReliableQueue queue = new RecordingReliableQueue();
		RecordingStateStore store = new RecordingStateStore();
		AtomicInteger failOnce = new AtomicInteger(1);
		StateStore flaky = (job) -> {
			if (job.status() == JobStatus.QUEUED && job.stepName() != null && failOnce.getAndDecrement() > 0) {
				throw new IllegalStateException("store down after the step");
			}
			store.update(job);
		};
		AtomicInteger stepRuns = new AtomicInteger();
		Workflow workflow = Workflow.builder("wf").step("a", Integer.class, (in) -> stepRuns.incrementAndGet())
			.step("b", Integer.class, (in) -> in)
			.build();
		Ergate ergate = Ergate.builder(queue, flaky).backoff(Duration.ofMillis(1), Duration.ofMillis(5)).build()
			.registerWorkflow(workflow);
		Job job = ergate.submit("wf", 0, null);
		Engine.runUntil(ergate, 2, () -> !store.updates(job.id()).isEmpty() && store.last(job.id()).status().isFinal());
		assertThat(store.last(job.id()).status()).isEqualTo(JobStatus.COMPLETED);
		// step a ran, its new state could not be stored: the delivery was released and a ran again
		assertThat(stepRuns).hasValue(2);
		assertThat(queue.deliveries).containsEntry(job.id() + "@null", 2).containsEntry(job.id() + "@b", 1);
		assertThat(queue.events).containsExactly("release", "complete QUEUED", "complete COMPLETED");
		assertThat(queue.unacknowledged).hasValue(0);
	}

	@Test
	void scheduledJobsAreHandedBackToAQueueThatDelays() {
		RecordingReliableQueue queue = new RecordingReliableQueue();
		RecordingStateStore store = new RecordingStateStore();
		Workflow workflow = Workflow.builder("wf").step("a", Integer.class, (in) -> in).build();
		Ergate ergate = new Ergate(queue, store).registerWorkflow(workflow);
		queue.inbox.add(Job.builder("wf").id("later").requestedStartTime(java.time.Instant.now().plusMillis(200)).build());
		Engine.runUntil(ergate, 1, () -> !store.updates("later").isEmpty() && store.last("later").status().isFinal());
		assertThat(store.updates("later")).extracting(Job::status).containsExactly(JobStatus.SCHEDULED,
				JobStatus.RUNNING, JobStatus.COMPLETED);
		assertThat(queue.events).containsExactly("complete SCHEDULED", "complete COMPLETED");
	}


	@Test
	void aJobOfAnUnknownWorkflowIsGivenBackThenDeadLettered() {
		RecordingReliableQueue queue = new RecordingReliableQueue();
		queue.hasDeadLetters = true;
		RecordingStateStore store = new RecordingStateStore();
		Ergate ergate = Ergate.builder(queue, store).unknownWorkflowAttempts(3).build()
			.registerWorkflow(Workflow.builder("known").step("a", Integer.class, (in) -> in).build());
		queue.put(Job.builder("unknown").id("u").build());
		Engine.runUntil(ergate, 1, () -> !store.updates("u").isEmpty());
		assertThat(queue.events).containsExactly("release", "release", "dead-letter");
		assertThat(queue.deadLetters).containsExactly("u: No workflow named \"unknown\" is registered (known: known)");
		assertThat(store.last("u").status()).isEqualTo(JobStatus.FAILED);
		assertThat(queue.unacknowledged).hasValue(0);
	}

	@Test
	void withoutDeadLettersAnUnknownWorkflowFailsAfterTheAttempts() {
		RecordingReliableQueue queue = new RecordingReliableQueue();
		RecordingStateStore store = new RecordingStateStore();
		Ergate ergate = new Ergate(queue, store)
			.registerWorkflow(Workflow.builder("known").step("a", Integer.class, (in) -> in).build());
		queue.put(Job.builder("known").id("s").stepName("nope").build());
		Engine.runUntil(ergate, 1, () -> !store.updates("s").isEmpty());
		assertThat(queue.events).containsExactly("release", "complete FAILED");
		assertThat(store.last("s").exceptionTraceback())
			.isEqualTo("Workflow \"known\" has no step named \"nope\" (known: a)");
	}

}
