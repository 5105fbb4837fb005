package io.ergate.autoconfigure.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.ergate.memory.InMemoryStateStore;
import io.ergate.Job;
import io.ergate.JobStatus;
import io.ergate.PathHint;
import io.ergate.StateStore;
import io.ergate.Workflow;
import io.ergate.autoconfigure.ErgateAutoConfiguration;
import io.ergate.spring.actuate.ErgateEndpoint;
import io.ergate.spring.actuate.ErgateEndpoint.ErgateDescriptor;
import io.ergate.spring.ErgateClient;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.jmx.JmxEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationType;
import org.springframework.boot.actuate.endpoint.jmx.ExposableJmxEndpoint;
import org.springframework.boot.actuate.endpoint.jmx.JmxEndpointsSupplier;
import org.springframework.boot.actuate.endpoint.jmx.JmxOperation;
import org.springframework.boot.autoconfigure.jmx.JmxAutoConfiguration;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.convert.support.ConfigurableConversionService;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The {@code ergate} endpoint: workflows with ordered steps and path hints, the worker's
 * configuration and state, counts of jobs per status when the store can be queried, and the cancel
 * and retry write operation, present only with {@code management.endpoint.ergate.access=unrestricted}.
 */
class ErgateEndpointTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ErgateAutoConfiguration.class, EndpointAutoConfiguration.class,
				ErgateEndpointAutoConfiguration.class))
		.withPropertyValues("management.endpoints.web.exposure.include=ergate", "ergate.worker.concurrency=2",
				"ergate.worker.shutdown-timeout=12s")
		.withBean("flow", Workflow.class,
				() -> Workflow.builder("flow")
					.step("check", String.class, (in) -> in, PathHint.next(), PathHint.goTo("last"), PathHint.end())
					.step("middle", String.class, (in) -> in)
					.step("last", String.class, (in) -> in)
					.build());

	@Test
	void describesWorkflowsWorkerAndJobCounts() {
		this.runner.run((context) -> {
			String id = context.getBean(ErgateClient.class).submit("flow", "x", null);
			InMemoryStateStore store = context.getBean(InMemoryStateStore.class);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> store.findById(id).map(Job::status).orElse(null) == JobStatus.COMPLETED);
			ErgateDescriptor descriptor = context.getBean(ErgateEndpoint.class).ergate();
			assertThat(descriptor.workflows()).singleElement().satisfies((workflow) -> {
				assertThat(workflow.name()).isEqualTo("flow");
				assertThat(workflow.steps()).extracting(ErgateEndpoint.StepDescriptor::name)
					.containsExactly("check", "middle", "last");
				assertThat(workflow.steps().get(0).pathHints()).containsExactly("next", "goTo(last)", "end");
				assertThat(workflow.steps().get(1).pathHints()).isEmpty();
			});
			assertThat(descriptor.worker().enabled()).isTrue();
			assertThat(descriptor.worker().state()).isEqualTo("running");
			assertThat(descriptor.worker().concurrency()).isEqualTo(2);
			assertThat(descriptor.worker().threads()).isEqualTo(2);
			assertThat(descriptor.worker().busy()).isZero();
			assertThat(descriptor.worker().shutdownTimeout()).isEqualTo("PT12S");
			assertThat(descriptor.queue().type()).isEqualTo("io.ergate.memory.InMemoryJobQueue");
			assertThat(descriptor.queue().depth()).isZero();
			assertThat(descriptor.jobs()).containsEntry("COMPLETED", 1L)
				.containsEntry("QUEUED", 0L)
				.containsEntry("FAILED", 0L)
				.containsEntry("PENDING", 0L)
				.containsEntry("CANCELLING", 0L)
				.containsEntry("CANCELLED", 0L)
				.hasSize(JobStatus.values().length);

			String json = JsonMapper.shared().writeValueAsString(descriptor);
			assertThat(json).contains("\"name\":\"check\"", "\"pathHints\":[\"next\",\"goTo(last)\",\"end\"]",
					"\"COMPLETED\":1");
		});
	}

	@Test
	void cancelsAndRetriesJobsById() {
		this.runner.run((context) -> {
			ErgateClient client = context.getBean(ErgateClient.class);
			ErgateEndpoint endpoint = context.getBean(ErgateEndpoint.class);
			Object id = client.submit(Job.builder("flow").initialInputValue("x")
				.requestedStartTime(Instant.now().plusSeconds(60)).build());
			ErgateEndpoint.JobDescriptor cancelled = endpoint.job(id.toString(), "cancel");
			assertThat(cancelled).isNotNull();
			assertThat(cancelled.status()).isEqualTo("CANCELLED");
			assertThat(cancelled.workflow()).isEqualTo("flow");
			assertThat(endpoint.ergate().jobs()).containsEntry("CANCELLED", 1L);
			ErgateEndpoint.JobDescriptor requeued = endpoint.job(id.toString(), "retry");
			assertThat(requeued.status()).isEqualTo("QUEUED");
			assertThat(requeued.attempt()).isEqualTo(1);
			InMemoryStateStore store = context.getBean(InMemoryStateStore.class);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> store.findById(id).map(Job::status).orElse(null) == JobStatus.COMPLETED);
			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> endpoint.job(id.toString(), "retry"))
				.withMessageContaining("is COMPLETED: only a FAILED, ABORTED or CANCELLED job can be retried");
			assertThat(endpoint.job(id.toString(), "cancel").status()).isEqualTo("COMPLETED");
			assertThat(endpoint.job("no-such-job", "cancel")).isNull();
			assertThat(endpoint.job("no-such-job", "retry")).isNull();
			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> endpoint.job(id.toString(), "delete"))
				.withMessage("Unknown action \"delete\": use cancel or retry");
		});
	}

	/**
	 * The operations as Actuator discovers them, over JMX here (this module has no web server on its test
	 * class path): the access rules filter them the same way for every technology. The sample app checks
	 * the HTTP side.
	 */
	@Test
	void theWriteOperationExistsOnlyWhenTheApplicationGrantsUnrestrictedAccess() {
		ApplicationContextRunner jmx = this.runner
			.withConfiguration(AutoConfigurations.of(JmxAutoConfiguration.class, JmxEndpointAutoConfiguration.class))
			.withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=ergate",
					"spring.jmx.unique-names=true");
		jmx.run((context) -> assertThat(operations(context.getBean(JmxEndpointsSupplier.class)))
			.extracting(JmxOperation::getType)
			.containsOnly(OperationType.READ));
		// written as in application.properties: a SpringApplication's environment converts it leniently
		jmx.withInitializer((context) -> context.getEnvironment()
			.setConversionService((ConfigurableConversionService) ApplicationConversionService.getSharedInstance()))
			.withPropertyValues("management.endpoint.ergate.access=unrestricted")
			.run((context) -> assertThat(operations(context.getBean(JmxEndpointsSupplier.class)))
				.filteredOn((operation) -> operation.getType() == OperationType.WRITE)
				.singleElement()
				.satisfies((operation) -> assertThat(operation.getName()).isEqualTo("job")));
	}

	private static List<JmxOperation> operations(JmxEndpointsSupplier endpoints) {
		return endpoints.getEndpoints()
			.stream()
			.filter((endpoint) -> endpoint.getEndpointId().toString().equals("ergate"))
			.map(ExposableJmxEndpoint::getOperations)
			.flatMap((operations) -> operations.stream())
			.toList();
	}

	@Test
	void noCountsWhenTheStoreCannotBeQueriedAndNoWorkerWhenDisabled() {
		this.runner.withPropertyValues("ergate.worker.enabled=false")
			.withBean(StateStore.class, () -> (job) -> {
			})
			.run((context) -> {
				ErgateDescriptor descriptor = context.getBean(ErgateEndpoint.class).ergate();
				assertThat(descriptor.jobs()).isNull();
				assertThat(descriptor.worker().enabled()).isFalse();
				assertThat(descriptor.worker().state()).isEqualTo("stopped");
				assertThat(descriptor.workflows()).extracting(ErgateEndpoint.WorkflowDescriptor::name)
					.isEqualTo(List.of("flow"));
			});
	}

}
