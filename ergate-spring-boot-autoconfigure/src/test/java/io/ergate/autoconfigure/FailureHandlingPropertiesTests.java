package io.ergate.autoconfigure;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.ergate.Job;
import io.ergate.JobStatus;
import io.ergate.Workflow;
import io.ergate.spring.ErgateClient;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code ergate.retry.*}, {@code ergate.step.*} and cancel settings of {@code ergate.worker.*}:
 * applied to the engine (seen in how jobs run), and bad values reported naming the property and the fix.
 */
class FailureHandlingPropertiesTests {

	private final AtomicInteger runs = new AtomicInteger();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ErgateAutoConfiguration.class))
		.withPropertyValues("ergate.worker.concurrency=1")
		.withBean("alwaysFails", Workflow.class, () -> Workflow.builder("always_fails").step("only", String.class, (in) -> {
			this.runs.incrementAndGet();
			throw ("bad".equals(in)) ? new IllegalArgumentException("bad input") : new IllegalStateException("boom");
		}).build());

	private final ErgateFailureAnalyzer analyzer = new ErgateFailureAnalyzer();

	@Test
	void byDefaultAFailureFailsTheJobAtOnce() {
		this.runner.run((context) -> {
			ErgateProperties properties = context.getBean(ErgateProperties.class);
			assertThat(properties.getRetry().toPolicy()).isEqualTo(io.ergate.RetryPolicy.none());
			assertThat(properties.getRetry().getInitialDelay()).isEqualTo(Duration.ofSeconds(1));
			assertThat(properties.getRetry().getMaxDelay()).isEqualTo(Duration.ofMinutes(5));
			assertThat(properties.getStep().getDefaultTimeout()).isNull();
			assertThat(properties.getWorker().isInterruptOnCancel()).isFalse();
			assertThat(properties.getWorker().getCancelCheckInterval()).isEqualTo(Duration.ofSeconds(1));
			ErgateClient client = context.getBean(ErgateClient.class);
			Job failed = client.await(client.submit("always_fails", "x", null), Duration.ofSeconds(10));
			assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
			assertThat(this.runs).hasValue(1);
			assertThat(failed.metadata()).doesNotContainKey("attempt");
		});
	}

	@Test
	void retryPropertiesAreTheDefaultPolicyOfStepsWithoutOne() {
		this.runner
			.withPropertyValues("ergate.retry.max-attempts=3", "ergate.retry.initial-delay=10ms",
					"ergate.retry.multiplier=1.0", "ergate.retry.max-delay=20ms", "ergate.retry.jitter=0",
					"ergate.retry.no-retry-on=java.lang.IllegalArgumentException")
			.run((context) -> {
				assertThat(context.getBean(ErgateProperties.class).getRetry().toPolicy())
					.isEqualTo(io.ergate.RetryPolicy.maxAttempts(3)
						.backoff(Duration.ofMillis(10), 1.0, Duration.ofMillis(20))
						.jitter(0)
						.noRetryOn(IllegalArgumentException.class));
				ErgateClient client = context.getBean(ErgateClient.class);
				Job failed = client.await(client.submit("always_fails", "x", null), Duration.ofSeconds(10));
				assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
				assertThat(failed.attempt()).isEqualTo(3);
				assertThat(failed.metadata()).containsEntry("max_attempts", "3")
					.containsEntry("last_error", "java.lang.IllegalStateException: boom");
				assertThat(this.runs).hasValue(3);
				Job notRetried = client.await(client.submit("always_fails", "bad", null), Duration.ofSeconds(10));
				assertThat(notRetried.status()).isEqualTo(JobStatus.FAILED);
				assertThat(notRetried.exceptionTraceback()).contains("bad input");
				assertThat(this.runs).hasValue(4);
			});
	}

	@Test
	void retryOnNarrowsTheExceptionsRetried() {
		this.runner
			.withPropertyValues("ergate.retry.max-attempts=2", "ergate.retry.initial-delay=0ms",
					"ergate.retry.retry-on=java.lang.IllegalArgumentException, java.io.IOException")
			.run((context) -> {
				ErgateClient client = context.getBean(ErgateClient.class);
				assertThat(client.await(client.submit("always_fails", "x", null), Duration.ofSeconds(10)).attempt())
					.isEqualTo(1);
				assertThat(client.await(client.submit("always_fails", "bad", null), Duration.ofSeconds(10)).attempt())
					.isEqualTo(2);
				assertThat(this.runs).hasValue(3);
			});
	}

	@Test
	void theDefaultStepTimeoutInterruptsASlowStep() {
		this.runner.withPropertyValues("ergate.step.default-timeout=200ms")
			.withBean("sleepy", Workflow.class, () -> Workflow.builder("sleepy").step("sleep", Integer.class, (in) -> {
				Thread.sleep(10_000);
				return in;
			}).build())
			.run((context) -> {
				ErgateClient client = context.getBean(ErgateClient.class);
				long start = System.nanoTime();
				Job failed = client.await(client.submit("sleepy", 1, null), Duration.ofSeconds(8));
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
				assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
				assertThat(failed.exceptionTraceback()).contains("StepTimeoutException")
					.contains("timed out after 200 ms");
			});
	}

	@Test
	void interruptOnCancelInterruptsTheRunningStep() {
		CountDownLatch started = new CountDownLatch(1);
		this.runner.withPropertyValues("ergate.worker.interrupt-on-cancel=true")
			.withBean("sleepy", Workflow.class, () -> Workflow.builder("sleepy").step("sleep", Integer.class, (in) -> {
				started.countDown();
				try {
					Thread.sleep(20_000);
				}
				catch (InterruptedException ex) {
					return in; // stops early: the job is cancelled before "after" runs
				}
				return in;
			}).step("after", Integer.class, (in) -> in).build())
			.run((context) -> {
				ErgateClient client = context.getBean(ErgateClient.class);
				String id = client.submit("sleepy", 1, null);
				assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
				await().atMost(Duration.ofSeconds(5))
					.until(() -> client.status(id).orElseThrow().status() == JobStatus.RUNNING);
				assertThat(client.cancel(id)).get().extracting(Job::status).isEqualTo(JobStatus.CANCELLING);
				long start = System.nanoTime();
				Job cancelled = client.await(id, Duration.ofSeconds(10));
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
				assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
				assertThat(cancelled.stepName()).isEqualTo("after");
			});
	}

	@Test
	void badValuesAreListedWithTheirPropertyAndTheFix() {
		this.runner
			.withPropertyValues("ergate.retry.max-attempts=0", "ergate.retry.multiplier=0.5", "ergate.retry.jitter=1.5",
					"ergate.retry.initial-delay=-1s", "ergate.step.default-timeout=0s",
					"ergate.worker.cancel-check-interval=0ms")
			.run((context) -> {
				FailureAnalysis analysis = this.analyzer.analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).startsWith("Invalid Ergate configuration:")
					.contains("ergate.retry.max-attempts = 0 (from \"ergate.retry.max-attempts\" from property source "
							+ "\"test\"): must be 1 or more (1: no retry)")
					.contains("ergate.retry.multiplier = 0.5 (from")
					.contains("must be 1.0 or more")
					.contains("ergate.retry.jitter = 1.5 (from")
					.contains("must be from 0.0 to 1.0")
					.contains("ergate.retry.initial-delay = PT-1S (from")
					.contains("ergate.step.default-timeout = PT0S (from")
					.contains("must be more than zero (remove it for no timeout)")
					.contains("ergate.worker.cancel-check-interval = PT0S (from");
				assertThat(analysis.getAction()).startsWith("Change ergate.retry.max-attempts, ergate.retry.initial-delay, "
						+ "ergate.retry.multiplier, ergate.retry.jitter, ergate.step.default-timeout, "
						+ "ergate.worker.cancel-check-interval as the description says");
			});
		this.runner.withPropertyValues("ergate.retry.initial-delay=10s", "ergate.retry.max-delay=1s")
			.run((context) -> assertThat(this.analyzer.analyze(context.getStartupFailure()).getDescription())
				.contains("ergate.retry.max-delay = PT1S")
				.contains("must be at least ergate.retry.initial-delay (PT10S)"));
		this.runner.withPropertyValues("ergate.retry.max-attempts=often")
			.run((context) -> assertThat(this.analyzer.analyze(context.getStartupFailure()).getDescription())
				.contains("ergate.retry.max-attempts = often")
				.contains("must be a whole number"));
	}

	@Test
	void anExceptionNameThatIsNotAThrowableOnTheClassPathFailsTheStartupNamingIt() {
		this.runner.withPropertyValues("ergate.retry.retry-on=java.io.IOExeption")
			.run((context) -> {
				FailureAnalysis analysis = this.analyzer.analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("ergate.retry.retry-on = [java.io.IOExeption]")
					.contains("\"java.io.IOExeption\" is not a class on the class path: write the fully qualified name "
							+ "of an exception class, such as java.io.IOException");
				assertThat(analysis.getAction()).startsWith("Change ergate.retry.retry-on as the description says");
			});
		this.runner.withPropertyValues("ergate.retry.no-retry-on[0]=java.io.IOException",
				"ergate.retry.no-retry-on[1]=java.lang.String")
			.run((context) -> assertThat(this.analyzer.analyze(context.getStartupFailure()).getDescription())
				.contains("ergate.retry.no-retry-on = [java.io.IOException, java.lang.String]")
				.contains("\"java.lang.String\" is not an exception class (java.lang.String is not a Throwable)"));
	}

}
