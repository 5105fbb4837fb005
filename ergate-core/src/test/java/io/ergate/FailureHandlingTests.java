package io.ergate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ergate.memory.InMemoryJobQueue;
import io.ergate.memory.InMemoryStateStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Retry policies, timeouts and cancels as declared and configured: annotations, defaults, the backoff
 * arithmetic, a step that ignores its interrupt, and a store that cannot record a cancel. The rules
 * on every backend are in {@link io.ergate.contract.FailureHandlingContract}.
 */
class FailureHandlingTests {

	private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

	private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

	private final List<Ergate> engines = new ArrayList<>();

	@BeforeEach
	void captureLogs() {
		this.logs.start();
		this.root.addAppender(this.logs);
	}

	@AfterEach
	void stop() {
		this.root.detachAppender(this.logs);
		this.engines.forEach((engine) -> engine.stop(Duration.ofSeconds(5)));
	}

	@Test
	void backoffGrowsByItsMultiplierUpToItsCapAndJitterOnlyShortensIt() {
		RetryPolicy policy = RetryPolicy.maxAttempts(10).backoff(Duration.ofMillis(100), 2.0, Duration.ofSeconds(1))
			.jitter(0.5);
		assertThat(policy.delayAfter(1)).isEqualTo(Duration.ofMillis(100));
		assertThat(policy.delayAfter(2)).isEqualTo(Duration.ofMillis(200));
		assertThat(policy.delayAfter(4)).isEqualTo(Duration.ofMillis(800));
		assertThat(policy.delayAfter(5)).isEqualTo(Duration.ofSeconds(1));
		assertThat(policy.delayAfter(2, 0.0)).isEqualTo(Duration.ofMillis(200));
		assertThat(policy.delayAfter(2, 0.999)).isBetween(Duration.ofMillis(100), Duration.ofMillis(101));
		assertThat(policy.retries(new IllegalStateException(), 9)).isTrue();
		assertThat(policy.retries(new IllegalStateException(), 10)).isFalse();
		assertThat(policy.retries(new AbortJob("no"), 1)).isFalse();
		RetryPolicy narrow = policy.retryOn(java.io.IOException.class).noRetryOn(java.io.FileNotFoundException.class);
		assertThat(narrow.retries(new IllegalStateException("wraps", new java.io.IOException("io")), 1)).isTrue();
		assertThat(narrow.retries(new IllegalStateException("other"), 1)).isFalse();
		assertThat(narrow.retries(new java.io.FileNotFoundException("gone"), 1)).isFalse();
		assertThat(RetryPolicy.none().attempts()).isEqualTo(1);
	}

	@Test
	void badPoliciesAndDurationsAreRefusedNamingTheFix() {
		assertThatExceptionOfType(InvalidDefinitionException.class).isThrownBy(() -> RetryPolicy.maxAttempts(0))
			.withMessageContaining("maxAttempts must be 1 or more");
		assertThatExceptionOfType(InvalidDefinitionException.class)
			.isThrownBy(() -> RetryPolicy.maxAttempts(2).backoff(Duration.ofSeconds(2), 2.0, Duration.ofSeconds(1)))
			.withMessageContaining("initialDelay <= maxDelay");
		assertThatExceptionOfType(InvalidDefinitionException.class)
			.isThrownBy(() -> Workflow.from(new BadTimeout()))
			.withMessageContaining("Workflow \"bad_timeout\", step \"only\" @Step(timeout)")
			.withMessageContaining("\"soon\" is not a duration; write it as 500ms, 30s");
		assertThatExceptionOfType(InvalidDefinitionException.class)
			.isThrownBy(() -> StepOption.timeout(Duration.ZERO))
			.withMessageContaining("more than zero");
	}

	@Test
	void annotationsDeclareRetriesAndTimeoutsPerStepAndPerWorkflow() {
		Workflow workflow = Workflow.from(new Annotated());
		assertThat(workflow.retryPolicy()).isEqualTo(RetryPolicy.maxAttempts(2)
			.backoff(Duration.ofSeconds(1), 2.0, Duration.ofMinutes(5)).jitter(0.2));
		assertThat(workflow.timeout()).isEqualTo(Duration.ofMinutes(1));
		WorkflowStep first = workflow.steps().get(0);
		assertThat(first.retryPolicy()).isEqualTo(RetryPolicy.maxAttempts(5)
			.backoff(Duration.ofMillis(500), 3.0, Duration.ofSeconds(30))
			.jitter(0.0)
			.noRetryOn(IllegalArgumentException.class));
		assertThat(first.timeout()).isEqualTo(Duration.ofSeconds(10));
		assertThat(workflow.steps().get(1).retryPolicy()).isNull();
		assertThat(workflow.steps().get(1).timeout()).isNull();
	}

	@Test
	void theEnginesDefaultRetryAppliesToStepsWithoutAPolicyAndTheSeedsBehaviourIsTheDefault() {
		AtomicInteger runs = new AtomicInteger();
		InMemoryStateStore store = new InMemoryStateStore();
		Ergate plain = engine(Ergate.builder(new InMemoryJobQueue(), store));
		Ergate retrying = engine(Ergate.builder(new InMemoryJobQueue(), store)
			.defaultRetry(RetryPolicy.maxAttempts(3).backoff(Duration.ofMillis(10), 1.0, Duration.ofMillis(10))));
		for (Ergate engine : List.of(plain, retrying)) {
			engine.registerWorkflow(Workflow.builder("always_fails").step("only", Integer.class, (in) -> {
				runs.incrementAndGet();
				throw new IllegalStateException("boom");
			}).build());
		}
		Job once = plain.submit("always_fails", 1, null);
		plain.start(1);
		await().atMost(Duration.ofSeconds(10)).until(() -> store.findById(once.id()).orElseThrow().status()
				== JobStatus.FAILED);
		assertThat(runs.get()).isEqualTo(1);
		assertThat(store.findById(once.id()).orElseThrow().metadata()).isEmpty();
		Job thrice = retrying.submit("always_fails", 1, null);
		retrying.start(1);
		await().atMost(Duration.ofSeconds(10)).until(() -> store.findById(thrice.id()).orElseThrow().status()
				== JobStatus.FAILED);
		assertThat(runs.get()).isEqualTo(4);
		assertThat(store.findById(thrice.id()).orElseThrow().attempt()).isEqualTo(3);
	}

	@Test
	void aStepThatIgnoresItsInterruptIsReportedInTheLogAndTheStatus() throws Exception {
		InMemoryStateStore store = new InMemoryStateStore();
		Ergate.Builder builder = Ergate.builder(new InMemoryJobQueue(), store);
		builder.stuckStepGrace = Duration.ofMillis(200);
		Ergate engine = engine(builder);
		CountDownLatch release = new CountDownLatch(1);
		engine.registerWorkflow(Workflow.builder("stubborn").step("spin", Integer.class, (in) -> {
			long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
			while (release.getCount() > 0 && System.nanoTime() < until) {
				Thread.onSpinWait(); // ignores interrupts
			}
			return in;
		}, StepOption.timeout(Duration.ofMillis(100))).build());
		Job job = engine.submit("stubborn", 1, null);
		engine.start(1);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(engine.status().stuckSteps())
			.singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
			.contains(String.valueOf(job.id()))
			.contains("step \"spin\"")
			.contains("ignoring the interrupt"));
		assertThat(this.logs.list).anySatisfy((event) -> {
			assertThat(event.getLevel()).isEqualTo(Level.WARN);
			assertThat(event.getFormattedMessage()).contains("is still running").contains("ignores the interrupt");
		});
		release.countDown();
		await().atMost(Duration.ofSeconds(10)).until(() -> store.findById(job.id()).orElseThrow().status()
				== JobStatus.FAILED);
		assertThat(store.findById(job.id()).orElseThrow().exceptionTraceback()).contains("StepTimeoutException");
		assertThat(engine.status().stuckSteps()).isEmpty();
	}

	@Test
	void aStoreThatCannotRecordACancelAtomicallySaysWhatIsNeeded() {
		StateStore plain = (job) -> {
		};
		Ergate engine = engine(Ergate.builder(new InMemoryJobQueue(), plain));
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> engine.cancel("x"))
			.withMessageContaining("To cancel jobs, Ergate needs a state store that can change a job's state "
					+ "atomically (a io.ergate.FencingStateStore");
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> engine.retry("x"))
			.withMessageContaining("To retry jobs");
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> engine.jobs(null, null, 0, 10))
			.withMessageContaining("QueryableStateStore");
	}

	@Test
	void listenersAreToldOfRetriesAndCancelsWithTheirOutcome() {
		List<StepOutcome> outcomes = new java.util.concurrent.CopyOnWriteArrayList<>();
		InMemoryStateStore store = new InMemoryStateStore();
		Ergate engine = engine(Ergate.builder(new InMemoryJobQueue(), store).listener(new JobListener() {
			@Override
			public void onJobRunEnd(StepResult result) {
				outcomes.add(result.outcome());
			}

			@Override
			public void onJobRunFailure(StepResult result) {
				outcomes.add(result.outcome());
			}
		}));
		AtomicInteger runs = new AtomicInteger();
		engine.registerWorkflow(Workflow.builder("twice").step("only", Integer.class, (in) -> {
			if (runs.incrementAndGet() == 1) {
				throw new IllegalStateException("first");
			}
			return in;
		}, RetryPolicy.maxAttempts(2).backoff(Duration.ZERO, 1.0, Duration.ZERO)).build());
		Job job = engine.submit("twice", 1, null);
		Job later = engine.submit(Job.builder("twice").initialInputValue(1)
			.requestedStartTime(java.time.Instant.now().plusSeconds(60)).build());
		engine.start(1);
		await().atMost(Duration.ofSeconds(10)).until(() -> store.findById(job.id()).orElseThrow().status()
				== JobStatus.COMPLETED);
		engine.cancel(later.id());
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(outcomes)
			.containsExactly(StepOutcome.RETRY, StepOutcome.NEXT, StepOutcome.CANCELLED));
	}

	private Ergate engine(Ergate.Builder builder) {
		Ergate engine = builder.backoff(Duration.ofMillis(10), Duration.ofMillis(50)).build();
		this.engines.add(engine);
		return engine;
	}

	@ErgateWorkflow(value = "annotated", timeout = "1m")
	@Retry(maxAttempts = 2)
	static class Annotated {

		@Step(order = 1, timeout = "10s")
		@Retry(maxAttempts = 5, delay = "500ms", multiplier = 3, maxDelay = "PT30S", jitter = 0,
				noRetryOn = IllegalArgumentException.class)
		int first(@Input int value) {
			return value;
		}

		@Step(order = 2)
		void second(@Input int value) {
		}

	}

	@ErgateWorkflow("bad_timeout")
	static class BadTimeout {

		@Step(order = 1, timeout = "soon")
		void only() {
		}

	}

}
