package io.ergate.autoconfigure.health;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.ergate.Ergate;
import io.ergate.Job;
import io.ergate.JobStatus;
import io.ergate.StepOption;
import io.ergate.Workflow;
import io.ergate.autoconfigure.ErgateAutoConfiguration;
import io.ergate.spring.ErgateClient;
import io.ergate.spring.health.ErgateHealthDetailsContributor;
import io.ergate.spring.health.ErgateHealthIndicator;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code ergate} health indicator through its transitions: UP, DOWN while the store keeps
 * throwing, UP once it recovers, OUT_OF_SERVICE while the worker stops; and UP with
 * {@code "worker": "disabled"} on a node without a worker; stuck steps listed in the details, DOWN
 * once they hold every worker thread.
 */
class ErgateHealthIndicatorTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ErgateAutoConfiguration.class,
				HealthContributorAutoConfiguration.class, ErgateHealthContributorAutoConfiguration.class))
		.withUserConfiguration(GateConfiguration.class)
		.withPropertyValues("ergate.worker.concurrency=1", "ergate.worker.backoff.initial=10ms",
				"ergate.worker.backoff.max=50ms", "spring.lifecycle.timeout-per-shutdown-phase=20s");

	@Test
	void upThenDownWhileTheStoreThrowsThenUpThenOutOfServiceWhileStopping() {
		this.runner.run((context) -> {
			ErgateHealthIndicator indicator = context.getBean("ergateHealthIndicator", ErgateHealthIndicator.class);
			BreakableStateStore store = context.getBean(BreakableStateStore.class);
			Gate gate = context.getBean(Gate.class);

			Health up = indicator.health();
			assertThat(up.getStatus()).isEqualTo(Status.UP);
			assertThat(up.getDetails()).containsEntry("worker", "running")
				.containsEntry("concurrency", 1)
				.containsEntry("threads", 1)
				.containsEntry("busy", 0)
				.containsEntry("idle", 1)
				.containsEntry("queue", "io.ergate.memory.InMemoryJobQueue")
				.containsEntry("store", BreakableStateStore.class.getName())
				.containsEntry("queueDepth", 0L)
				.containsEntry("workflows", List.of("gate"))
				.doesNotContainKey("error");

			// the store throws on every write: the worker keeps failing on the same job
			store.setBroken(true);
			context.getBean(Ergate.class).queue().put(Job.builder("gate").id("broken-1").status(JobStatus.QUEUED)
				.initialInputValue("pass").build());
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				Health down = indicator.health();
				assertThat(down.getStatus()).isEqualTo(Status.DOWN);
				assertThat((int) down.getDetails().get("consecutiveFailures")).isGreaterThanOrEqualTo(2);
			});
			assertThat(indicator.health().getDetails()).containsEntry("worker", "running")
				.containsEntry("error", "java.lang.IllegalStateException: the store is broken")
				.containsKey("errorTime");

			// it recovers: the job goes through, the indicator is UP again
			store.setBroken(false);
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
				assertThat(store.findById("broken-1").map(Job::status)).contains(JobStatus.COMPLETED);
			});
			assertThat(indicator.health().getDetails()).doesNotContainKeys("error", "consecutiveFailures");

			// a step runs while the application stops: OUT_OF_SERVICE until the end
			String slow = context.getBean(ErgateClient.class).submit("gate", "block", null);
			assertThat(gate.entered.await(10, TimeUnit.SECONDS)).isTrue();
			assertThat(indicator.health().getDetails()).containsEntry("busy", 1).containsEntry("idle", 0);
			Thread stopper = new Thread(context::stop, "stopper");
			stopper.start();
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				Health stopping = indicator.health();
				assertThat(stopping.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
				assertThat(stopping.getDetails()).containsEntry("worker", "stopping").containsEntry("busy", 1);
			});
			gate.release.countDown();
			stopper.join(15_000);
			assertThat(stopper.isAlive()).isFalse();
			assertThat(store.findById(slow).map(Job::status)).contains(JobStatus.COMPLETED);
			Health stopped = indicator.health();
			assertThat(stopped.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
			assertThat(stopped.getDetails()).containsEntry("worker", "stopped");
		});
	}

	@Test
	void stuckStepsAreListedAndMakeItDownOnlyWhenTheyHoldEveryWorkerThread() {
		CountDownLatch release = new CountDownLatch(1);
		this.runner.withPropertyValues("ergate.worker.concurrency=2")
			.withBean("stubborn", Workflow.class, () -> Workflow.builder("stubborn").step("ignore", Integer.class, (in) -> {
				while (release.getCount() > 0) {
					try {
						release.await();
					}
					catch (InterruptedException ex) {
						// ignores its interrupt: stuck once its timeout and the grace after it pass
					}
				}
				return in;
			}, StepOption.timeout(Duration.ofMillis(100))).build())
			.run((context) -> {
				ErgateHealthIndicator indicator = context.getBean("ergateHealthIndicator", ErgateHealthIndicator.class);
				ErgateClient client = context.getBean(ErgateClient.class);
				try {
					String first = client.submit("stubborn", 1, null);
					await().atMost(Duration.ofSeconds(20))
						.until(() -> indicator.health().getDetails().containsKey("stuckSteps"));
					Health oneStuck = indicator.health();
					assertThat(oneStuck.getStatus()).isEqualTo(Status.UP);
					assertThat(oneStuck.getDetails().get("stuckSteps")).asInstanceOf(
							org.assertj.core.api.InstanceOfAssertFactories.list(String.class))
						.singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
						.contains(first)
						.contains("step \"ignore\"");
					client.submit("stubborn", 2, null);
					await().atMost(Duration.ofSeconds(20))
						.untilAsserted(() -> assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN));
					assertThat(indicator.health().getDetails().get("stuckSteps"))
						.asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
						.hasSize(2);
				}
				finally {
					release.countDown();
				}
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(indicator.health().getStatus()).isEqualTo(Status.UP));
				assertThat(indicator.health().getDetails()).doesNotContainKey("stuckSteps");
			});
	}

	@Test
	void upWithWorkerDisabledOnANodeThatRunsNoJobs() {
		this.runner.withPropertyValues("ergate.worker.enabled=false").run((context) -> {
			Health health = context.getBean(ErgateHealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("worker", "disabled").doesNotContainKey("busy");
		});
	}

	@Test
	void detailsContributorsAddTheirDetailsAndMakeItDownWhenTheyThrow() {
		this.runner.withBean("leases", ErgateHealthDetailsContributor.class,
				() -> (details) -> details.put("leases", 3))
			.run((context) -> assertThat(context.getBean(ErgateHealthIndicator.class).health().getDetails())
				.containsEntry("leases", 3));
		this.runner.withBean("connection", ErgateHealthDetailsContributor.class, () -> (details) -> {
			throw new IllegalStateException("connection refused");
		}).run((context) -> {
			Health health = context.getBean(ErgateHealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails()).containsEntry("error",
					"java.lang.IllegalStateException: connection refused");
		});
	}

	@Test
	void canBeDisabled() {
		this.runner.withPropertyValues("management.health.ergate.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ErgateHealthIndicator.class)
				.hasSingleBean(Ergate.class));
	}

	/** Steps block on their input "block" until released. */
	static class Gate {

		final CountDownLatch entered = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

	}

	@Configuration(proxyBeanMethods = false)
	static class GateConfiguration {

		@Bean
		BreakableStateStore breakableStateStore() {
			return new BreakableStateStore();
		}

		@Bean
		Gate gate() {
			return new Gate();
		}

		@Bean
		Workflow gateWorkflow(Gate gate) {
			return Workflow.builder("gate").step("wait", String.class, (in) -> {
				if ("block".equals(in)) {
					gate.entered.countDown();
					if (!gate.release.await(15, TimeUnit.SECONDS)) {
						throw new IllegalStateException("never released");
					}
				}
				return in;
			}).build();
		}

	}

}
