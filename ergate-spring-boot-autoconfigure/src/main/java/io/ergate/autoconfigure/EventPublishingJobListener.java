package io.ergate.autoconfigure;

import io.ergate.Job;
import io.ergate.JobListener;
import io.ergate.StepResult;
import io.ergate.spring.JobFailedEvent;
import io.ergate.spring.JobFinishedEvent;
import io.ergate.spring.JobStartedEvent;
import io.ergate.spring.JobStepCompletedEvent;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes the engine's job runs as Spring application events.
 */
final class EventPublishingJobListener implements JobListener {

	private final ApplicationEventPublisher publisher;

	EventPublishingJobListener(ApplicationEventPublisher publisher) {
		this.publisher = publisher;
	}

	@Override
	public void onJobRunStart(Job job) {
		if (job.stepsCompleted() == 0) {
			this.publisher.publishEvent(new JobStartedEvent(job));
		}
	}

	@Override
	public void onJobRunEnd(StepResult result) {
		this.publisher.publishEvent(new JobStepCompletedEvent(result));
		if (result.job().status().isFinal()) {
			this.publisher.publishEvent(new JobFinishedEvent(result));
		}
	}

	@Override
	public void onJobRunFailure(StepResult result) {
		this.publisher.publishEvent(new JobFailedEvent(result));
	}

}
