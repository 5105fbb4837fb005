package io.ergate.autoconfigure.observation;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.ergate.AbortJob;
import io.ergate.GoToEnd;
import io.ergate.GoToStep;
import io.ergate.memory.InMemoryStateStore;
import io.ergate.Job;
import io.ergate.JobStatus;
import io.ergate.PathHint;
import io.ergate.Workflow;
import io.ergate.spring.metrics.ErgateMeterBinder;
import io.ergate.spring.ErgateClient;
import io.ergate.spring.observation.ErgateStepObservationContext;
import io.ergate.spring.observation.ErgateSubmitObservationContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A whole application with a {@link SimpleMeterRegistry} and a {@link TestObservationRegistry} runs
 * a branching workflow (steps that go on, jump, end early, fail and abort) and the exact meters,
 * observations and trace contexts are asserted.
 */
@SpringBootTest(classes = ObservabilityIntegrationTests.TestApplication.class,
		properties = "ergate.worker.concurrency=2")
@DirtiesContext
class ObservabilityIntegrationTests {

	private static final List<String> INPUTS = List.of("jump", "end", "fail", "abort", "plain");

	@Autowired
	private ErgateClient client;

	@Autowired
	private InMemoryStateStore store;

	@Autowired
	private MeterRegistry meterRegistry;

	@Autowired
	private TestObservationRegistry observationRegistry;

	@Test
	void branchingWorkflowIsMeasuredObservedAndTracedAsOneTracePerJob() {
		assertThat(this.meterRegistry).isInstanceOf(SimpleMeterRegistry.class);
		Map<String, String> ids = new LinkedHashMap<>();
		for (String input : INPUTS) {
			ids.put(input, this.client.submit("branching", input, null));
		}
		await().atMost(Duration.ofSeconds(20))
			.until(() -> ids.values().stream().allMatch((id) -> status(id).isFinal()));
		assertThat(status(ids.get("jump"))).isEqualTo(JobStatus.COMPLETED);
		assertThat(status(ids.get("end"))).isEqualTo(JobStatus.COMPLETED);
		assertThat(status(ids.get("plain"))).isEqualTo(JobStatus.COMPLETED);
		assertThat(status(ids.get("fail"))).isEqualTo(JobStatus.FAILED);
		assertThat(status(ids.get("abort"))).isEqualTo(JobStatus.ABORTED);

		// the listener records after the final state is stored: wait for the last counts
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.meterRegistry.find("ergate.jobs").counters().stream()
				.mapToDouble((counter) -> counter.count())
				.sum()).isEqualTo(5.0));

		// timer ergate.step: one series per (workflow, step, outcome) that happened, exact counts
		Map<String, Long> steps = new HashMap<>();
		for (Timer timer : this.meterRegistry.find("ergate.step").timers()) {
			assertThat(timer.getId().getTags()).extracting((tag) -> tag.getKey())
				.containsExactlyInAnyOrder("workflow", "step", "outcome");
			assertThat(timer.getId().getTag("workflow")).isEqualTo("branching");
			steps.put(timer.getId().getTag("step") + ":" + timer.getId().getTag("outcome"), timer.count());
		}
		assertThat(steps).containsOnly(Map.entry("start:goto", 1L), Map.entry("start:end", 1L),
				Map.entry("start:next", 3L), Map.entry("middle:failed", 1L), Map.entry("middle:abort", 1L),
				Map.entry("middle:next", 1L), Map.entry("finish:next", 2L));
		assertThat(this.meterRegistry.get("ergate.step")
			.tags("step", "middle", "outcome", "failed")
			.timer()
			.totalTime(TimeUnit.NANOSECONDS)).isPositive();

		// counter ergate.jobs: final statuses by workflow
		assertThat(jobs("completed")).isEqualTo(3.0);
		assertThat(jobs("failed")).isEqualTo(1.0);
		assertThat(jobs("aborted")).isEqualTo(1.0);
		assertThat(this.meterRegistry.find("ergate.jobs").counters()).hasSize(3)
			.allSatisfy((counter) -> assertThat(counter.getId().getTags()).extracting((tag) -> tag.getKey())
				.containsExactlyInAnyOrder("workflow", "status"));

		// gauges
		assertThat(this.meterRegistry.get(ErgateMeterBinder.BUSY).gauge().value()).isZero();
		assertThat(this.meterRegistry.get(ErgateMeterBinder.WORKERS).gauge().value()).isEqualTo(2.0);
		assertThat(this.meterRegistry.get(ErgateMeterBinder.QUEUE_DEPTH).gauge().value()).isZero();
		assertThat(this.meterRegistry.get(ErgateMeterBinder.QUEUE_OLDEST_AGE).timeGauge()).isNotNull();

		// no job id anywhere in the tags
		assertThat(this.meterRegistry.getMeters()).allSatisfy((meter) -> assertThat(meter.getId().getTags())
			.noneMatch((tag) -> ids.containsValue(tag.getValue())));

		// observations: one per submission, one per step run
		TestObservationRegistryAssert.assertThat(this.observationRegistry)
			.hasNumberOfObservationsWithNameEqualTo("ergate.submit", 5)
			.hasNumberOfObservationsWithNameEqualTo("ergate.step.run", 10)
			.forAllObservationsWithNameEqualTo("ergate.step.run",
					(observation) -> observation.hasLowCardinalityKeyValue("workflow", "branching"));
		TestObservationRegistryAssert.assertThat(this.observationRegistry)
			.hasHandledContextsThatSatisfy((contexts) -> {
				List<ErgateStepObservationContext> stepContexts = contexts.stream()
					.filter(ErgateStepObservationContext.class::isInstance)
					.map(ErgateStepObservationContext.class::cast)
					.toList();
				assertThat(stepContexts).hasSize(10);
				Map<String, Long> observed = new HashMap<>();
				for (ErgateStepObservationContext context : stepContexts) {
					assertThat(context.getLowCardinalityKeyValues().stream().map((kv) -> kv.getKey()))
						.containsExactlyInAnyOrder("workflow", "step", "outcome");
					assertThat(context.getHighCardinalityKeyValue("job.id").getValue())
						.isEqualTo(String.valueOf(context.getJob().id()));
					observed.merge(context.getStepName() + ":" + context.getOutcome(), 1L, Long::sum);
					if ("failed".equals(context.getOutcome())) {
						assertThat(context.getError()).isInstanceOf(IllegalStateException.class)
							.hasMessage("middle failed");
					}
					else {
						assertThat(context.getError()).as("flow control is not an error").isNull();
					}
				}
				assertThat(observed).isEqualTo(steps);

				// trace propagation: each step continues the trace its job's submission started
				Map<Object, String> submitted = new HashMap<>();
				contexts.stream()
					.filter(ErgateSubmitObservationContext.class::isInstance)
					.map(ErgateSubmitObservationContext.class::cast)
					.forEach((context) -> {
						assertThat(context.getLowCardinalityKeyValue("workflow").getValue()).isEqualTo("branching");
						submitted.put(String.valueOf(context.getJobId()), context.getRequired(FakePropagation.KEY));
					});
				assertThat(submitted).containsOnlyKeys(ids.values().toArray());
				assertThat(submitted.values()).doesNotHaveDuplicates();
				for (ErgateStepObservationContext context : stepContexts) {
					String jobId = String.valueOf(context.getJob().id());
					assertThat((String) context.get(FakePropagation.KEY)).as("trace context seen by a step of %s", jobId)
						.isNotNull()
						.isEqualTo(submitted.get(jobId));
				}
				for (String id : ids.values()) {
					assertThat(this.store.findById(id).orElseThrow().metadata())
						.containsEntry(FakePropagation.KEY, submitted.get(id));
				}
			});
	}

	private double jobs(String status) {
		return this.meterRegistry.get("ergate.jobs").tags("workflow", "branching", "status", status).counter().count();
	}

	private JobStatus status(String id) {
		return this.store.findById(id).map(Job::status).orElseThrow();
	}

	/**
	 * start: "jump" jumps to finish, "end" ends the job, else goes on; middle: "fail" fails,
	 * "abort" aborts, else goes on; finish returns.
	 */
	static Workflow branching() {
		return Workflow.builder("branching").step("start", String.class, (in) -> {
			if ("jump".equals(in)) {
				throw new GoToStep("finish", in);
			}
			if ("end".equals(in)) {
				throw new GoToEnd(in);
			}
			return in;
		}, PathHint.next(), PathHint.goTo("finish"), PathHint.end()).step("middle", String.class, (in) -> {
			if ("fail".equals(in)) {
				throw new IllegalStateException("middle failed");
			}
			if ("abort".equals(in)) {
				throw new AbortJob("middle aborted");
			}
			return in;
		}).step("finish", String.class, (in) -> in + "!").build();
	}

	/**
	 * Stands in for a tracer's propagating handlers: a sender writes a new trace context into its
	 * carrier, a receiver reads it from its carrier; both keep it in the observation context.
	 */
	static class FakePropagation implements ObservationHandler<Observation.Context> {

		static final String KEY = "traceparent";

		@Override
		@SuppressWarnings({ "unchecked", "rawtypes" })
		public void onStart(Observation.Context context) {
			if (context instanceof SenderContext sender) {
				String traceparent = "00-" + UUID.randomUUID().toString().replace("-", "") + "-0000000000000001-01";
				sender.getSetter().set(sender.getCarrier(), KEY, traceparent);
				context.put(KEY, traceparent);
			}
			else if (context instanceof ReceiverContext receiver) {
				String traceparent = receiver.getGetter().get(receiver.getCarrier(), KEY);
				if (traceparent != null) {
					context.put(KEY, traceparent);
				}
			}
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return true;
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

		@Bean
		SimpleMeterRegistry simpleMeterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		TestObservationRegistry testObservationRegistry() {
			TestObservationRegistry registry = TestObservationRegistry.create();
			registry.observationConfig().observationHandler(new FakePropagation());
			return registry;
		}

		@Bean
		Workflow branchingWorkflow() {
			return branching();
		}

	}

}
