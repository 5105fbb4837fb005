package io.ergate.sample;

import io.ergate.Workflow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The tutorial's first workflow, in the builder style: {@code step_1} adds one to the job's
 * initial input, {@code step_2} receives the result (21 becomes 22).
 */
@Configuration(proxyBeanMethods = false)
class MyFirstWorkflowConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(MyFirstWorkflowConfiguration.class);

	@Bean
	Workflow myFirstWorkflow() {
		return Workflow.builder("my_first_workflow")
			.step("step_1", Integer.class, (value) -> (value != null) ? value + 1 : 1)
			.step("step_2", Integer.class, (value) -> {
				logger.info("step_2 received {}", value);
				return value;
			})
			.build();
	}

}
