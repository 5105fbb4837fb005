package io.ergate.sample;

import io.ergate.Workflow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The tutorial's first workflow, in the builder style: {@code step_1} adds one to the job's
 * initial input, {@code step_2} receives the result (21 becomes 22). A job without an initial input
 * fails in {@code step_1}, saying so.
 */
@Configuration(proxyBeanMethods = false)
class MyFirstWorkflowConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(MyFirstWorkflowConfiguration.class);

	@Bean
	Workflow myFirstWorkflow() {
		return Workflow.builder("my_first_workflow")
			.step("step_1", Integer.class, (value) -> {
				if (value == null) {
					// a null input stays null: the step decides, here by failing the job with the reason
					throw new IllegalArgumentException(
							"step_1 needs a number as initial_input_value, such as 21; the job has none");
				}
				return value + 1;
			})
			.step("step_2", Integer.class, (value) -> {
				logger.info("step_2 received {}", value);
				return value;
			})
			.build();
	}

}
