package io.ergate.autoconfigure;

import java.util.Map;

import javax.sql.DataSource;

import io.ergate.memory.InMemoryJobQueue;
import io.ergate.InvalidDefinitionException;
import io.ergate.JobQueue;
import io.ergate.autoconfigure.jdbc.ErgateJdbcAutoConfiguration;
import io.ergate.autoconfigure.rabbitmq.ErgateRabbitAutoConfiguration;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Tests for {@link ErgateFailureAnalyzer}.
 */
@ExtendWith(OutputCaptureExtension.class)
class ErgateFailureAnalyzerTests {

	private final ErgateFailureAnalyzer analyzer = new ErgateFailureAnalyzer();

	@Test
	void reportsAConfigurationProblemAsDescriptionAndAction() {
		FailureAnalysis analysis = this.analyzer.analyze(new BeanCreationException("ergate",
				new ErgateConfigurationException("Ergate needs one JobQueue bean but found 2: 'a', 'b'",
						"mark the one Ergate should use @Primary, or remove the others")));
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).isEqualTo("Ergate needs one JobQueue bean but found 2: 'a', 'b'.");
		assertThat(analysis.getAction()).isEqualTo("Mark the one Ergate should use @Primary, or remove the others.");
	}

	@Test
	void reportsAnInvalidWorkflow() {
		FailureAnalysis analysis = this.analyzer
			.analyze(new IllegalStateException("wrapped", new InvalidDefinitionException("Workflow \"w\" has no steps")));
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription())
			.isEqualTo("An Ergate workflow cannot be registered: Workflow \"w\" has no steps");
	}

	@Test
	void leavesOtherFailuresToOtherAnalyzers() {
		assertThat(this.analyzer.analyze(new IllegalStateException("something else"))).isNull();
	}

	@Test
	void startupFailureIsReportedWithoutAStackTrace(CapturedOutput output) {
		assertThatException().isThrownBy(() -> new SpringApplicationBuilder(TwoQueuesApplication.class)
			.properties("spring.main.banner-mode=off")
			.run());
		assertThat(output.getOut() + output.getErr()).contains("APPLICATION FAILED TO START")
			.contains("Ergate needs one JobQueue bean but found 2: 'firstQueue', 'secondQueue'")
			.contains("Action:")
			.contains("Mark the one Ergate should use @Primary, or remove the others.");
	}

	@Test
	void aStepParameterNoBeanSuppliesGetsErgatesBoxNotBootsBeanLookup(CapturedOutput output) {
		assertThatException().isThrownBy(() -> new SpringApplicationBuilder(MissingBeanApplication.class)
			.properties("spring.main.banner-mode=off")
			.run());
		String printed = output.getOut() + output.getErr();
		assertThat(printed).contains("APPLICATION FAILED TO START")
			.contains("Ergate workflow \"needs_missing_bean\" of bean 'needsMissingBean' cannot be registered: "
					+ "Workflow \"needs_missing_bean\", step \"run\": parameter \"greeter\" ("
					+ TestWorkflows.Greeter.class.getName() + ") cannot be supplied: there is no bean of type "
					+ TestWorkflows.Greeter.class.getName() + ".")
			.contains("Action:" + System.lineSeparator() + System.lineSeparator()
					+ "Declare such a bean, or annotate the parameter @Input, @Context or @Depends(Provider.class).")
			.doesNotContain("A component required a bean");
	}

	@Test
	void aBadWorkerConcurrencyGetsErgatesBoxNamingThePropertyAndItsOrigin(CapturedOutput output) {
		assertThatException().isThrownBy(() -> new SpringApplicationBuilder(PlainApplication.class)
			.properties("spring.main.banner-mode=off")
			.run("--ergate.worker.concurrency=0"));
		String printed = output.getOut() + output.getErr();
		assertThat(printed).contains("APPLICATION FAILED TO START")
			.contains("Invalid Ergate configuration:")
			.contains("ergate.worker.concurrency = 0 (from \"ergate.worker.concurrency\" from property source "
					+ "\"commandLineArgs\"): must be 1 or more")
			.contains("Action:" + System.lineSeparator() + System.lineSeparator() + "Change ergate.worker.concurrency as "
					+ "the description says, or remove it to use the default")
			.doesNotContain("\tat io.ergate.spring.ErgateWorker");
	}

	@Test
	void everyBadValueIsListedAndAValueOfTheWrongTypeIsExplained() {
		ApplicationContextRunner runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ErgateAutoConfiguration.class));
		runner.withPropertyValues("ergate.worker.shutdown-timeout=-1s", "ergate.worker.backoff.initial=0s",
				"ergate.in-memory.max-finished-jobs=0")
			.run((context) -> {
				FailureAnalysis analysis = this.analyzer.analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).startsWith("Invalid Ergate configuration:")
					.contains("ergate.worker.shutdown-timeout = PT-1S (from \"ergate.worker.shutdown-timeout\" from "
							+ "property source \"test\"): must be zero or more")
					.contains("ergate.worker.backoff.initial = PT0S")
					.contains("ergate.in-memory.max-finished-jobs = 0");
				assertThat(analysis.getAction()).startsWith("Change ergate.worker.shutdown-timeout, "
						+ "ergate.worker.backoff.initial, ergate.in-memory.max-finished-jobs as the description says");
			});
		runner.withPropertyValues("ergate.worker.backoff.initial=1s", "ergate.worker.backoff.max=10ms")
			.run((context) -> assertThat(this.analyzer.analyze(context.getStartupFailure()).getDescription())
				.contains("ergate.worker.backoff.max = PT0.01S")
				.contains("must be at least ergate.worker.backoff.initial (PT1S)"));
		runner.withPropertyValues("ergate.in-memory.max-finished-jobs=0")
			.run((context) -> assertThat(this.analyzer.analyze(context.getStartupFailure()).getDescription())
				.contains("ergate.in-memory.max-finished-jobs = 0")
				.contains("must be 1 or more"));
		runner.withPropertyValues("ergate.worker.shutdown-timeout=soon")
			.run((context) -> {
				FailureAnalysis analysis = this.analyzer.analyze(context.getStartupFailure());
				assertThat(analysis.getDescription())
					.contains("ergate.worker.shutdown-timeout = soon")
					.contains("must be a duration, such as 500ms, 30s or 5m");
				assertThat(analysis.getAction()).startsWith("Change ergate.worker.shutdown-timeout as the description says");
			});
		runner.withPropertyValues("ergate.worker.concurrency=many")
			.run((context) -> assertThat(this.analyzer.analyze(context.getStartupFailure()).getDescription())
				.contains("ergate.worker.concurrency = many")
				.contains("must be a whole number"));
	}

	@Test
	void badJdbcAndRabbitSettingsGetTheSameBox() {
		JdbcDataSource h2 = new JdbcDataSource();
		h2.setURL("jdbc:h2:mem:analyzer;DB_CLOSE_DELAY=-1");
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ErgateJdbcAutoConfiguration.class, ErgateAutoConfiguration.class))
			.withBean(DataSource.class, () -> h2)
			.withPropertyValues("ergate.jdbc.claim-batch-size=0", "ergate.jdbc.lease-duration=10ms",
					"ergate.jdbc.table-prefix=x; DROP TABLE users; --")
			.run((context) -> assertThat(this.analyzer.analyze(context.getStartupFailure()).getDescription())
				.contains("ergate.jdbc.claim-batch-size = 0 (from")
				.contains("must be between 1 and 1000")
				.contains("ergate.jdbc.lease-duration = PT0.01S")
				.contains("must be at least 1s")
				.contains("ergate.jdbc.table-prefix = x; DROP TABLE users; --")
				.contains("must be a letter or underscore"));
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ErgateJdbcAutoConfiguration.class, ErgateAutoConfiguration.class))
			.withBean(DataSource.class, () -> h2)
			.withPropertyValues("ergate.jdbc.initialize-schema=sometimes")
			.run((context) -> assertThat(this.analyzer.analyze(context.getStartupFailure()).getDescription())
				.contains("ergate.jdbc.initialize-schema = sometimes")
				.contains("must be one of always, embedded, never"));
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ErgateRabbitAutoConfiguration.class, ErgateAutoConfiguration.class))
			.withPropertyValues("ergate.rabbitmq.enabled=true", "ergate.rabbitmq.consumers=0",
					"ergate.rabbitmq.confirm-timeout=0s")
			.run((context) -> assertThat(this.analyzer.analyze(context.getStartupFailure()).getDescription())
				.contains("ergate.rabbitmq.consumers = 0")
				.contains("ergate.rabbitmq.confirm-timeout = PT0S"));
	}

	@Test
	void leavesBindingFailuresOfOtherPropertiesToBoot() {
		Binder binder = new Binder(new MapConfigurationPropertySource(Map.of("other.count", "many")));
		assertThatException().isThrownBy(() -> binder.bind("other.count", Integer.class))
			.satisfies((failure) -> assertThat(this.analyzer.analyze(failure)).isNull());
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class PlainApplication {

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class MissingBeanApplication {

		@Bean
		TestWorkflows.NeedsMissingBeanWorkflow needsMissingBean() {
			return new TestWorkflows.NeedsMissingBeanWorkflow();
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TwoQueuesApplication {

		@Bean
		JobQueue firstQueue() {
			return new InMemoryJobQueue();
		}

		@Bean
		JobQueue secondQueue() {
			return new InMemoryJobQueue();
		}

	}

}
