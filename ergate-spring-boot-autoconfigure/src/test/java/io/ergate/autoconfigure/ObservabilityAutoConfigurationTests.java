package io.ergate.autoconfigure;

import java.time.Duration;

import io.ergate.Ergate;
import io.ergate.GoToStep;
import io.ergate.memory.InMemoryStateStore;
import io.ergate.Job;
import io.ergate.JobStatus;
import io.ergate.Workflow;
import io.ergate.spring.actuate.ErgateEndpoint;
import io.ergate.autoconfigure.actuate.ErgateEndpointAutoConfiguration;
import io.ergate.autoconfigure.health.ErgateHealthContributorAutoConfiguration;
import io.ergate.spring.health.ErgateHealthIndicator;
import io.ergate.spring.metrics.ErgateMeterBinder;
import io.ergate.autoconfigure.metrics.ErgateMetricsAutoConfiguration;
import io.ergate.spring.metrics.ErgateMetricsJobListener;
import io.ergate.autoconfigure.observation.ErgateObservationAutoConfiguration;
import io.ergate.spring.observation.ObservationJobSubmissionInterceptor;
import io.ergate.spring.observation.ObservationStepInterceptor;
import io.ergate.spring.ErgateClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The observability auto-configurations with and without Actuator, Micrometer metrics and Micrometer
 * observations on the classpath: each backs off without its library, and Ergate works either way.
 */
class ObservabilityAutoConfigurationTests {

	/** Everything but Spring Boot's own Actuator auto-configurations, which are absent without Actuator. */
	private final ApplicationContextRunner runnerWithoutActuator = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ErgateAutoConfiguration.class, ObservationAutoConfiguration.class,
				MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
				SimpleMetricsExportAutoConfiguration.class, ErgateEndpointAutoConfiguration.class,
				ErgateHealthContributorAutoConfiguration.class, ErgateMetricsAutoConfiguration.class,
				ErgateObservationAutoConfiguration.class))
		.withBean(Workflow.class, () -> Workflow.builder("double").step("double", Integer.class, (in) -> in * 2).build());

	private final ApplicationContextRunner runner = this.runnerWithoutActuator.withConfiguration(
			AutoConfigurations.of(HealthContributorAutoConfiguration.class, EndpointAutoConfiguration.class));

	@Test
	void everythingOnTheClasspath() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(ErgateHealthIndicator.class)
				.hasBean("ergateHealthIndicator")
				.hasSingleBean(ErgateMetricsJobListener.class)
				.hasSingleBean(ErgateMeterBinder.class)
				.hasSingleBean(ObservationStepInterceptor.class)
				.hasSingleBean(ObservationJobSubmissionInterceptor.class)
				.doesNotHaveBean(ErgateEndpoint.class);
			assertJobRuns(context);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(meters.get("ergate.jobs")
					.tags("workflow", "double", "status", "completed")
					.counter()
					.count()).isEqualTo(1.0));
			assertThat(meters.get("ergate.step").tags("workflow", "double", "step", "double", "outcome", "next").timer()
				.count()).isEqualTo(1);
			assertThat(meters.get(ErgateMeterBinder.BUSY).gauge()).isNotNull();
			assertThat(meters.get(ErgateMeterBinder.QUEUE_DEPTH).gauge()).isNotNull();
		});
	}

	@Test
	void theEndpointIsAvailableOnlyWhenExposed() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=health,ergate")
			.run((context) -> assertThat(context).hasSingleBean(ErgateEndpoint.class));
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=*",
				"management.endpoint.ergate.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(ErgateEndpoint.class));
	}

	@Test
	void withoutActuator() {
		this.runnerWithoutActuator.withClassLoader(new FilteredClassLoader("org.springframework.boot.health",
				"org.springframework.boot.actuate"))
			.withPropertyValues("management.endpoints.web.exposure.include=*")
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.doesNotHaveBean(ErgateHealthIndicator.class)
					.doesNotHaveBean(ErgateEndpoint.class)
					.hasSingleBean(ErgateMetricsJobListener.class)
					.hasSingleBean(ObservationStepInterceptor.class);
				assertJobRuns(context);
			});
	}

	@Test
	void withoutMicrometerMetrics() {
		this.runner.withClassLoader(new FilteredClassLoader("io.micrometer.core"))
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.doesNotHaveBean(MeterRegistry.class)
					.doesNotHaveBean(ErgateMetricsJobListener.class)
					.doesNotHaveBean(ErgateMeterBinder.class)
					.hasSingleBean(ObservationStepInterceptor.class)
					.hasSingleBean(ErgateHealthIndicator.class);
				assertJobRuns(context);
			});
	}

	@Test
	void withoutMicrometerAtAll() {
		this.runner.withClassLoader(new FilteredClassLoader("io.micrometer"))
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.doesNotHaveBean(ErgateMetricsJobListener.class)
					.doesNotHaveBean(ErgateMeterBinder.class)
					.doesNotHaveBean(ObservationStepInterceptor.class)
					.doesNotHaveBean(ObservationJobSubmissionInterceptor.class)
					.hasSingleBean(ErgateHealthIndicator.class);
				assertJobRuns(context);
			});
	}

	@Test
	void withoutActuatorOrMicrometer() {
		this.runnerWithoutActuator.withClassLoader(new FilteredClassLoader("io.micrometer", "org.springframework.boot.health",
				"org.springframework.boot.actuate"))
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.doesNotHaveBean(ErgateHealthIndicator.class)
					.doesNotHaveBean(ErgateMetricsJobListener.class)
					.doesNotHaveBean(ObservationStepInterceptor.class);
				assertJobRuns(context);
			});
	}

	@Test
	void withoutARegistryBeanTheMicrometerIntegrationsBackOff() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ErgateAutoConfiguration.class,
					ErgateMetricsAutoConfiguration.class, ErgateObservationAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(Ergate.class)
				.doesNotHaveBean(ErgateMetricsJobListener.class)
				.doesNotHaveBean(ObservationStepInterceptor.class));
	}

	@Test
	void ergateDisabledTurnsTheIntegrationsOffToo() {
		this.runner.withPropertyValues("ergate.enabled=false", "management.endpoints.web.exposure.include=*")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(Ergate.class)
				.doesNotHaveBean(ErgateHealthIndicator.class)
				.doesNotHaveBean(ErgateEndpoint.class)
				.doesNotHaveBean(ErgateMetricsJobListener.class)
				.doesNotHaveBean(ErgateMeterBinder.class)
				.doesNotHaveBean(ObservationStepInterceptor.class)
				.doesNotHaveBean(ObservationJobSubmissionInterceptor.class)
				.hasSingleBean(MeterRegistry.class));
	}

	@Test
	void userBeansReplaceTheAutoConfiguredOnes() {
		ObservationStepInterceptor mine = new ObservationStepInterceptor(ObservationRegistry.NOOP, null);
		this.runner.withBean(ObservationStepInterceptor.class, () -> mine)
			.run((context) -> assertThat(context).getBean(ObservationStepInterceptor.class).isSameAs(mine));
	}

	@Test
	void stepsAndSubmissionsAreObserved() {
		TestObservationRegistry observations = TestObservationRegistry.create();
		this.runner.withBean(TestObservationRegistry.class, () -> observations).run((context) -> {
			assertJobRuns(context);
			TestObservationRegistryAssert.assertThat(observations)
				.hasNumberOfObservationsWithNameEqualTo("ergate.submit", 1)
				.hasObservationWithNameEqualTo("ergate.step.run")
				.that()
				.hasContextualNameEqualTo("ergate double double")
				.hasLowCardinalityKeyValue("workflow", "double")
				.hasLowCardinalityKeyValue("step", "double")
				.hasLowCardinalityKeyValue("outcome", "next")
				.hasHighCardinalityKeyValueWithKey("job.id");
		});
	}

	@Test
	void aJumpBackwardsIsFailedInTheTimerAndTheObservationAlike() {
		TestObservationRegistry observations = TestObservationRegistry.create();
		this.runner.withBean(TestObservationRegistry.class, () -> observations)
			.withBean("backwards", Workflow.class,
					() -> Workflow.builder("backwards").step("one", String.class, (in) -> in)
						.step("two", String.class, (in) -> {
							throw new GoToStep("one");
						})
						.build())
			.run((context) -> {
				String id = context.getBean(ErgateClient.class).submit("backwards", "x", null);
				InMemoryStateStore store = context.getBean(InMemoryStateStore.class);
				await().atMost(Duration.ofSeconds(10))
					.until(() -> store.findById(id).map(Job::status).orElse(null) == JobStatus.FAILED);
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(meters.get("ergate.step")
						.tags("workflow", "backwards", "step", "two", "outcome", "failed")
						.timer()
						.count()).isEqualTo(1));
				TestObservationRegistryAssert.assertThat(observations)
					.hasAnObservation((observation) -> observation.hasNameEqualTo("ergate.step.run")
						.hasLowCardinalityKeyValue("step", "two")
						.hasLowCardinalityKeyValue("outcome", "failed")
						.assertThatError()
						.hasMessageContaining("not a later step"));
			});
	}

	private static void assertJobRuns(AssertableApplicationContext context) {
		String id = context.getBean(ErgateClient.class).submit("double", 21, null);
		InMemoryStateStore store = context.getBean(InMemoryStateStore.class);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> store.findById(id).map(Job::status).orElse(null) == JobStatus.COMPLETED);
		assertThat(store.findById(id).orElseThrow().lastReturnValue()).isEqualTo(42);
	}

}
