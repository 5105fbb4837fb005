package io.ergate.autoconfigure;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.ergate.Ergate;
import io.ergate.memory.InMemoryJobQueue;
import io.ergate.Job;
import io.ergate.JobStatus;
import io.ergate.StateStore;
import io.ergate.Workflow;
import io.ergate.spring.ErgateClient;
import io.ergate.spring.JobStepCompletedEvent;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@link ErgateClient}'s {@code status} and {@code await}; its {@code cancel}, {@code retry},
 * {@code retryAll}, {@code delete} and {@code jobs}, with and without a worker; and what a
 * {@link JobStepCompletedEvent} says about the step that ran and the next one.
 */
class ErgateClientTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ErgateAutoConfiguration.class))
		.withBean("addThenDouble", Workflow.class, () -> TestWorkflows.addThenDouble(new CopyOnWriteArrayList<>()));

	@Test
	void statusReadsTheJobsStateAndAwaitReturnsItsFinalState() {
		this.runner.run((context) -> {
			ErgateClient client = context.getBean(ErgateClient.class);
			String id = client.submit("add_then_double", 20, null);
			assertThat(client.status(id)).hasValueSatisfying((job) -> assertThat(job.id()).isEqualTo(id));
			Job done = client.await(id, Duration.ofSeconds(10));
			assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
			assertThat(done.lastReturnValue()).isEqualTo(42);
			assertThat(client.status(id)).get().extracting(Job::status).isEqualTo(JobStatus.COMPLETED);
			assertThat(client.status("no-such-job")).isEmpty();
			assertThatExceptionOfType(NoSuchElementException.class)
				.isThrownBy(() -> client.await("no-such-job", Duration.ofSeconds(1)))
				.withMessage("No job with id \"no-such-job\" is known to the state store");
		});
	}

	@Test
	void awaitGivesUpAfterTheTimeoutTellingWhereTheJobIs() {
		CountDownLatch release = new CountDownLatch(1);
		this.runner
			.withBean("slow", Workflow.class, () -> Workflow.builder("slow").step("wait", Integer.class, (in) -> {
				release.await(10, TimeUnit.SECONDS);
				return in;
			}).build())
			.run((context) -> {
				ErgateClient client = context.getBean(ErgateClient.class);
				String id = client.submit("slow", 1, null);
				long start = System.nanoTime();
				assertThatExceptionOfType(TimeoutException.class)
					.isThrownBy(() -> client.await(id, Duration.ofMillis(300)))
					.withMessageStartingWith("Job \"" + id + "\" did not finish within PT0.3S: it is ")
					.withMessageContaining("at step wait");
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(300),
						Duration.ofSeconds(5));
				release.countDown();
				assertThat(client.await(id, Duration.ofSeconds(10)).status()).isEqualTo(JobStatus.COMPLETED);
			});
	}

	@Test
	void withAStoreThatCannotBeReadBackStatusAndAwaitSaySo() {
		StateStore writeOnly = (job) -> {
		};
		ErgateClient client = new ErgateClient(new Ergate(new InMemoryJobQueue(), writeOnly));
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> client.status("1"))
			.withMessageContaining("cannot be read back")
			.withMessageContaining("QueryableStateStore");
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> client.await("1", Duration.ofSeconds(1)))
			.withMessageContaining("QueryableStateStore");
	}

	@Test
	void cancelsAWaitingJobAndLeavesAFinishedOneAsItIs() {
		this.runner.run((context) -> {
			ErgateClient client = context.getBean(ErgateClient.class);
			Object later = client.submit(Job.builder("add_then_double")
				.initialInputValue(1)
				.requestedStartTime(Instant.now().plusSeconds(60))
				.build());
			assertThat(client.status(later)).get().extracting(Job::status).isEqualTo(JobStatus.SCHEDULED);
			assertThat(client.cancel(later)).get().extracting(Job::status).isEqualTo(JobStatus.CANCELLED);
			assertThat(client.status(later)).get().extracting(Job::status).isEqualTo(JobStatus.CANCELLED);
			assertThat(client.await(later, Duration.ofSeconds(1)).status()).isEqualTo(JobStatus.CANCELLED);
			String done = client.submit("add_then_double", 1, null);
			client.await(done, Duration.ofSeconds(10));
			assertThat(client.cancel(done)).get().extracting(Job::status).isEqualTo(JobStatus.COMPLETED);
			assertThat(client.cancel("no-such-job")).isEmpty();
		});
	}

	@Test
	void retryRunsAFailedJobAgainFromItsStepAndRefusesOthers() {
		AtomicInteger failuresLeft = new AtomicInteger(3);
		this.runner.withBean("failsThrice", Workflow.class, () -> Workflow.builder("fails_thrice")
			.step("first", Integer.class, (in) -> in + 1)
			.step("flaky", Integer.class, (in) -> {
				if (failuresLeft.getAndDecrement() > 0) {
					throw new IllegalStateException("not yet");
				}
				return in * 10;
			})
			.build()).run((context) -> {
				ErgateClient client = context.getBean(ErgateClient.class);
				String id = client.submit("fails_thrice", 1, null);
				assertThat(client.await(id, Duration.ofSeconds(10)).status()).isEqualTo(JobStatus.FAILED);
				assertThat(client.retry(id)).get().satisfies((requeued) -> {
					assertThat(requeued.status()).isEqualTo(JobStatus.QUEUED);
					assertThat(requeued.stepName()).isEqualTo("flaky");
					assertThat(requeued.exceptionTraceback()).isNull();
				});
				assertThat(client.await(id, Duration.ofSeconds(10)).status()).isEqualTo(JobStatus.FAILED);
				String other = client.submit("fails_thrice", 2, null);
				client.await(other, Duration.ofSeconds(10));
				assertThat(client.jobs("fails_thrice", JobStatus.FAILED, 0, 10)).extracting(Job::id)
					.containsExactlyInAnyOrder(id, other);
				assertThat(client.retryAll("fails_thrice", JobStatus.FAILED)).isEqualTo(2);
				assertThat(client.await(id, Duration.ofSeconds(10)).lastReturnValue()).isEqualTo(20);
				assertThat(client.await(other, Duration.ofSeconds(10)).lastReturnValue()).isEqualTo(30);
				assertThat(client.jobs(null, JobStatus.COMPLETED, 0, 1)).hasSize(1);
				assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> client.retry(id))
					.withMessageContaining("is COMPLETED: only a FAILED, ABORTED or CANCELLED job can be retried");
				assertThat(client.retry("no-such-job")).isEmpty();
				assertThat(client.delete(id)).isTrue();
				assertThat(client.status(id)).isEmpty();
				assertThat(client.delete(id)).isFalse();
				assertThatExceptionOfType(IllegalArgumentException.class)
					.isThrownBy(() -> client.jobs(null, null, -1, 10))
					.withMessage("jobs needs offset >= 0 and limit >= 1, was offset -1 and limit 10");
			});
	}

	@Test
	void withoutAWorkerJobsAreCancelledListedAndDeletedThroughTheSharedStore() {
		this.runner.withPropertyValues("ergate.worker.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(io.ergate.spring.ErgateWorker.class);
			ErgateClient client = context.getBean(ErgateClient.class);
			String id = client.submit("add_then_double", 1, null);
			assertThat(client.jobs("add_then_double", JobStatus.QUEUED, 0, 10)).extracting(Job::id).containsExactly(id);
			assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> client.delete(id))
				.withMessageContaining("is QUEUED: only a job in a final status");
			assertThat(client.cancel(id)).get().extracting(Job::status).isEqualTo(JobStatus.CANCELLED);
			assertThat(client.retry(id)).get().extracting(Job::status).isEqualTo(JobStatus.QUEUED);
			client.cancel(id);
			assertThat(client.delete(id)).isTrue();
		});
	}

	@Test
	void withAStoreThatCannotChangeStatesAtomicallyCancelAndRetrySaySo() {
		StateStore writeOnly = (job) -> {
		};
		ErgateClient client = new ErgateClient(new Ergate(new InMemoryJobQueue(), writeOnly));
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> client.cancel("1"))
			.withMessageContaining("To cancel jobs, Ergate needs a state store that can change a job's state "
					+ "atomically (a io.ergate.FencingStateStore");
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> client.retry("1"))
			.withMessageContaining("To retry jobs");
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> client.jobs(null, null, 0, 10))
			.withMessageContaining("QueryableStateStore");
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> client.delete("1"))
			.withMessageContaining("To delete jobs");
	}

	@Test
	void stepCompletedEventNamesTheStepThatRanAndTheNextOne() {
		List<JobStepCompletedEvent> events = new CopyOnWriteArrayList<>();
		this.runner.withBean("stepEvents", StepEvents.class, () -> new StepEvents(events))
			.run((context) -> {
				ErgateClient client = context.getBean(ErgateClient.class);
				String id = client.submit("add_then_double", 1, null);
				client.await(id, Duration.ofSeconds(10));
				await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 2);
				JobStepCompletedEvent first = events.stream()
					.filter((event) -> event.getJob().stepsCompleted() == 1)
					.findFirst()
					.orElseThrow();
				assertThat(first.getStepName()).isEqualTo("step_1");
				assertThat(first.getNextStepName()).isEqualTo("step_2");
				assertThat(first.getJob().stepName()).isEqualTo("step_2");
				JobStepCompletedEvent last = events.stream()
					.filter((event) -> event.getJob().stepsCompleted() == 2)
					.findFirst()
					.orElseThrow();
				assertThat(last.getStepName()).isEqualTo("step_2");
				assertThat(last.getNextStepName()).isNull();
				assertThat(last.getJob().status()).isEqualTo(JobStatus.COMPLETED);
			});
	}

	static class StepEvents implements ApplicationListener<JobStepCompletedEvent> {

		private final List<JobStepCompletedEvent> events;

		StepEvents(List<JobStepCompletedEvent> events) {
			this.events = events;
		}

		@Override
		public void onApplicationEvent(JobStepCompletedEvent event) {
			this.events.add(event);
		}

	}

}
