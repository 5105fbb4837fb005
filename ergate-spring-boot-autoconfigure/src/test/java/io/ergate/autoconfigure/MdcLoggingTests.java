package io.ergate.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ergate.memory.InMemoryStateStore;
import io.ergate.Job;
import io.ergate.JobStatus;
import io.ergate.Workflow;
import io.ergate.spring.ErgateClient;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A user's log lines inside a step carry the MDC keys {@code ergate.jobId}, {@code ergate.workflow}
 * and {@code ergate.step}, and only there.
 */
class MdcLoggingTests {

	private static final org.slf4j.Logger userLogger = LoggerFactory.getLogger("com.example.MyWorkflow");

	@Test
	void logLinesInsideAStepCarryTheJobWorkflowAndStep() {
		Logger logger = (Logger) LoggerFactory.getLogger("com.example.MyWorkflow");
		ListAppender<ILoggingEvent> appender = new ListAppender<>();
		appender.start();
		logger.addAppender(appender);
		try {
			new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ErgateAutoConfiguration.class))
				.withBean(Workflow.class, () -> Workflow.builder("logging").step("first", String.class, (in) -> {
					userLogger.info("first step of {}", in);
					return in;
				}).step("second", String.class, (in) -> {
					userLogger.info("second step of {}", in);
					return in;
				}).build())
				.run((context) -> {
					String id = context.getBean(ErgateClient.class).submit("logging", "x", null);
					InMemoryStateStore store = context.getBean(InMemoryStateStore.class);
					await().atMost(Duration.ofSeconds(10))
						.until(() -> store.findById(id).map(Job::status).orElse(null) == JobStatus.COMPLETED);
					userLogger.info("outside any step");
					List<ILoggingEvent> events = List.copyOf(appender.list);
					assertThat(events).extracting(ILoggingEvent::getFormattedMessage)
						.containsExactly("first step of x", "second step of x", "outside any step");
					assertThat(events.get(0).getMDCPropertyMap()).containsAllEntriesOf(Map.of("ergate.jobId", id,
							"ergate.workflow", "logging", "ergate.step", "first"));
					assertThat(events.get(1).getMDCPropertyMap()).containsAllEntriesOf(Map.of("ergate.jobId", id,
							"ergate.workflow", "logging", "ergate.step", "second"));
					assertThat(events.get(1).getThreadName()).startsWith("ergate-worker-");
					assertThat(events.get(2).getMDCPropertyMap()).doesNotContainKeys("ergate.jobId",
							"ergate.workflow", "ergate.step");
					assertThat(MDC.get("ergate.jobId")).isNull();
				});
		}
		finally {
			logger.detachAppender(appender);
		}
	}

}
