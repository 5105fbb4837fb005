package io.ergate.sample;

import java.util.List;
import java.util.Map;

import io.ergate.spring.ErgateClient;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Submits a few demo jobs once the application is ready, so that the log shows the engine at work
 * within seconds. Turn off with {@code sample.demo-jobs.enabled=false}.
 */
@Component
@ConditionalOnBooleanProperty(name = "sample.demo-jobs.enabled", matchIfMissing = true)
class DemoJobs {

	private static final Logger logger = LoggerFactory.getLogger(DemoJobs.class);

	private final ErgateClient client;

	DemoJobs(ErgateClient client) {
		this.client = client;
	}

	@EventListener(ApplicationReadyEvent.class)
	void submit() {
		submit("my_first_workflow", 21, null);
		submit("order_workflow", List.of("book", "pen"), Map.of("customer", "Ada", "country", "FR", "currency", "EUR"));
		submit("branching_workflow", 7, null);
		submit("branching_workflow", 150, null);
		submit("branching_workflow", 0, null);
		submit("branching_workflow", -5, null);
	}

	private void submit(String workflow, Object input, @Nullable Object userContext) {
		String id = this.client.submit(workflow, input, userContext);
		logger.info("Submitted demo job {} [{}] with input {}: GET /jobs/{} shows its state", id, workflow, input, id);
	}

}
