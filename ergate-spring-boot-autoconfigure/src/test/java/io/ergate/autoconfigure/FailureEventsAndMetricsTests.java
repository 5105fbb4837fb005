package io.ergate.autoconfigure;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.ergate.Job;
import io.ergate.JobStatus;
import io.ergate.RetryPolicy;
import io.ergate.StepOption;
import io.ergate.StepOutcome;
import io.ergate.StepTimeoutException;
import io.ergate.Workflow;
import io.ergate.autoconfigure.metrics.ErgateMetricsAutoConfiguration;
import io.ergate.spring.ErgateClient;
import io.ergate.spring.ErgateJobEvent;
import io.ergate.spring.JobCancelledEvent;
import io.ergate.spring.JobFailedEvent;
import io.ergate.spring.JobFinishedEvent;
import io.ergate.spring.JobRetryScheduledEvent;
import io.ergate.spring.JobStartedEvent;
import io.ergate.spring.JobStepCompletedEvent;
import io.ergate.spring.metrics.ErgateMetricsJobListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The events and meters of retries, timeouts and cancels: a retried attempt publishes a
 * {@link JobRetryScheduledEvent} (not a step-completed one), a job ends with exactly one of finished,
 * failed or cancelled, and the {@code ergate.step} outcome tag, {@code ergate.job.retries} and
 * {@code ergate.jobs{status=cancelled}} count them.
 */
class FailureEventsAndMetricsTests {

	private static final RetryPolicy QUICK = RetryPolicy.maxAttempts(3)
		.backoff(Duration.ofMillis(10), 1.0, Duration.ofMillis(10))
		.jitter(0);

	private final List<ErgateJobEvent> events = new CopyOnWriteArrayList<>();

	private final AtomicInteger failuresLeft = new AtomicInteger(2);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ErgateAutoConfiguration.class, ErgateMetricsAutoConfiguration.class))
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
		.withBean("events", EventCollector.class, () -> new EventCollector(this.events))
		.withBean("flaky", Workflow.class, () -> Workflow.builder("flaky").step("call", Integer.class, (in) -> {
			if (this.failuresLeft.getAndDecrement() > 0) {
				throw new IllegalStateException("transient");
			}
			return in + 1;
		}, QUICK).build())
		.withBean("slow", Workflow.class, () -> Workflow.builder("slow").step("sleep", Integer.class, (in) -> {
			Thread.sleep(5_000);
			return in;
		}, StepOption.timeout(Duration.ofMillis(100)), RetryPolicy.maxAttempts(2)
			.backoff(Duration.ofMillis(10), 1.0, Duration.ofMillis(10))).build())
		.withBean("cancellable", Workflow.class, () -> Workflow.builder("cancellable").step("wait", (step) -> {
			long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
			while (!step.cancelRequested() && System.nanoTime() < deadline) {
				Thread.sleep(10);
			}
			return 1;
		}).step("after", Integer.class, (in) -> in).build());

	@Test
	void aRetriedAttemptPublishesARetryScheduledEventAndTheJobFinishesOnce() {
		this.runner.run((context) -> {
			ErgateClient client = context.getBean(ErgateClient.class);
			String id = client.submit("flaky", 1, null);
			assertThat(client.await(id, Duration.ofSeconds(10)).status()).isEqualTo(JobStatus.COMPLETED);
			await().atMost(Duration.ofSeconds(5)).until(() -> of(id, JobFinishedEvent.class).size() == 1);
			assertThat(of(id, JobStartedEvent.class)).hasSize(1);
			List<JobRetryScheduledEvent> retries = of(id, JobRetryScheduledEvent.class);
			assertThat(retries).extracting(JobRetryScheduledEvent::getFailedAttempt).containsExactly(1, 2);
			assertThat(retries).allSatisfy((retry) -> {
				assertThat(retry.getStepName()).isEqualTo("call");
				assertThat(retry.getNextAttempt()).isEqualTo(retry.getFailedAttempt() + 1);
				assertThat(retry.getMaxAttempts()).isEqualTo(3);
				assertThat(retry.getNextAttemptTime()).isAfter(Instant.now().minusSeconds(30));
				assertThat(retry.getJob().status()).isEqualTo(JobStatus.SCHEDULED);
				assertThat(retry.getError()).hasMessage("transient");
				assertThat(retry.isTimeout()).isFalse();
			});
			assertThat(of(id, JobStepCompletedEvent.class)).singleElement()
				.satisfies((done) -> assertThat(done.getResult().outcome()).isEqualTo(StepOutcome.NEXT));
			assertThat(of(id, JobFailedEvent.class)).isEmpty();
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get(ErgateMetricsJobListener.RETRIES_COUNTER).tags("workflow", "flaky", "step", "call")
				.counter()
				.count()).isEqualTo(2.0);
			assertThat(meters.get("ergate.step").tags("workflow", "flaky", "step", "call", "outcome", "retry")
				.timer()
				.count()).isEqualTo(2);
			assertThat(meters.get("ergate.step").tags("outcome", "next").timer().count()).isEqualTo(1);
		});
	}

	@Test
	void aJobFailsAfterItsLastAttemptAndATimeoutIsTaggedAsSuch() {
		this.failuresLeft.set(10);
		this.runner.run((context) -> {
			ErgateClient client = context.getBean(ErgateClient.class);
			String flaky = client.submit("flaky", 1, null);
			String slow = client.submit("slow", 1, null);
			assertThat(client.await(flaky, Duration.ofSeconds(10)).attempt()).isEqualTo(3);
			assertThat(client.await(slow, Duration.ofSeconds(10)).status()).isEqualTo(JobStatus.FAILED);
			await().atMost(Duration.ofSeconds(5))
				.until(() -> of(flaky, JobFailedEvent.class).size() + of(slow, JobFailedEvent.class).size() == 2);
			assertThat(of(flaky, JobRetryScheduledEvent.class)).hasSize(2);
			assertThat(of(flaky, JobFailedEvent.class)).singleElement().satisfies((failed) -> {
				assertThat(failed.getResult().outcome()).isEqualTo(StepOutcome.FAILED);
				assertThat(failed.getJob().metadata()).containsEntry("attempt", "3").containsEntry("max_attempts", "3");
			});
			assertThat(of(slow, JobRetryScheduledEvent.class)).singleElement().satisfies((retry) -> {
				assertThat(retry.isTimeout()).isTrue();
				assertThat(retry.getError()).isInstanceOf(StepTimeoutException.class);
			});
			assertThat(of(slow, JobFailedEvent.class)).singleElement().satisfies((failed) -> {
				assertThat(failed.getResult().outcome()).isEqualTo(StepOutcome.TIMEOUT);
				assertThat(failed.getError()).isInstanceOf(StepTimeoutException.class);
			});
			assertThat(of(flaky, JobFinishedEvent.class)).isEmpty();
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get("ergate.step").tags("workflow", "slow", "outcome", "timeout").timer().count())
				.isEqualTo(2);
			assertThat(meters.get(ErgateMetricsJobListener.RETRIES_COUNTER).tags("workflow", "slow").counter().count())
				.isEqualTo(1.0);
			assertThat(meters.get("ergate.jobs").tags("workflow", "flaky", "status", "failed").counter().count())
				.isEqualTo(1.0);
			assertThat(meters.get("ergate.jobs").tags("workflow", "slow", "status", "failed").counter().count())
				.isEqualTo(1.0);
		});
	}

	@Test
	void aCancelledJobPublishesOneCancelledEventWhetherItWaitedOrRan() {
		this.runner.run((context) -> {
			ErgateClient client = context.getBean(ErgateClient.class);
			Object waiting = client.submit(Job.builder("flaky").initialInputValue(1)
				.requestedStartTime(Instant.now().plusSeconds(60)).build());
			client.cancel(waiting);
			assertThat(of(waiting, JobCancelledEvent.class)).singleElement().satisfies((cancelled) -> {
				// a job cancelled before its first step has no step_name yet (the core reports it as "null")
				assertThat(cancelled.getJob().stepsCompleted()).isZero();
				assertThat(cancelled.getJob().status()).isEqualTo(JobStatus.CANCELLED);
				assertThat(cancelled.getResult().outcome()).isEqualTo(StepOutcome.CANCELLED);
			});
			String running = client.submit("cancellable", 1, null);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> client.status(running).orElseThrow().status() == JobStatus.RUNNING);
			assertThat(client.cancel(running)).get().extracting(Job::status).isEqualTo(JobStatus.CANCELLING);
			assertThat(client.await(running, Duration.ofSeconds(10)).status()).isEqualTo(JobStatus.CANCELLED);
			await().atMost(Duration.ofSeconds(5)).until(() -> of(running, JobCancelledEvent.class).size() == 1);
			// the step that did not run, where a retry resumes the job
			assertThat(of(running, JobCancelledEvent.class).get(0).getStepName()).isEqualTo("after");
			assertThat(client.status(running).orElseThrow().stepName()).isEqualTo("after");
			assertThat(this.events).filteredOn((event) -> event instanceof JobFinishedEvent
					|| event instanceof JobStepCompletedEvent || event instanceof JobFailedEvent)
				.isEmpty();
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get("ergate.jobs").tags("status", "cancelled").counters())
				.extracting((counter) -> counter.count())
				.containsExactlyInAnyOrder(1.0, 1.0);
			assertThat(meters.get("ergate.step").tags("outcome", "cancelled").timers()).hasSize(2);
		});
	}

	private <E extends ErgateJobEvent> List<E> of(Object id, Class<E> type) {
		return this.events.stream()
			.filter((event) -> type.isInstance(event) && id.equals(event.getJob().id()))
			.map(type::cast)
			.toList();
	}

	static class EventCollector implements ApplicationListener<ErgateJobEvent> {

		private final List<ErgateJobEvent> events;

		EventCollector(List<ErgateJobEvent> events) {
			this.events = events;
		}

		@Override
		public void onApplicationEvent(ErgateJobEvent event) {
			this.events.add(event);
		}

	}

}
