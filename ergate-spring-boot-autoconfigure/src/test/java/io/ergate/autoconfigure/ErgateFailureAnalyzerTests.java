package io.ergate.autoconfigure;

import io.ergate.InMemoryJobQueue;
import io.ergate.InvalidDefinitionException;
import io.ergate.JobQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
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
