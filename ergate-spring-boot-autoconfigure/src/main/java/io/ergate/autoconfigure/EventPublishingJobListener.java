package io.ergate.autoconfigure;

import io.ergate.Job;
import io.ergate.JobListener;
import io.ergate.JobStatus;
import io.ergate.StepOutcome;
import io.ergate.StepResult;
import io.ergate.spring.JobCancelledEvent;
import io.ergate.spring.JobFailedEvent;
import io.ergate.spring.JobFinishedEvent;
import io.ergate.spring.JobRetryScheduledEvent;
import io.ergate.spring.JobStartedEvent;
import io.ergate.spring.JobStepCompletedEvent;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes the engine's job runs as Spring application events: one event per step run, and one of
 * finished, failed or cancelled when the job ends.
 */
final class EventPublishingJobListener implements JobListener {

	private final ApplicationEventPublisher publisher;

	EventPublishingJobListener(ApplicationEventPublisher publisher) {
		this.publisher = publisher;
	}

	@Override
	public void onJobRunStart(Job job) {
		if (job.stepsCompleted() == 0 && job.attempt() == 1) {
			this.publisher.publishEvent(new JobStartedEvent(job));
		}
	}

	@Override
	public void onJobRunEnd(StepResult result) {
		StepOutcome outcome = result.outcome();
		JobStatus status = result.job().status();
		if (outcome == StepOutcome.CANCELLED || status == JobStatus.CANCELLED) {
			this.publisher.publishEvent(new JobCancelledEvent(result));
			return;
		}
		if (outcome == StepOutcome.RETRY || outcome == StepOutcome.TIMEOUT) {
			// a failed attempt that runs again (a final timeout is a failure, published below)
			this.publisher.publishEvent(new JobRetryScheduledEvent(result));
			return;
		}
		this.publisher.publishEvent(new JobStepCompletedEvent(result));
		if (status.isFinal()) {
			this.publisher.publishEvent(new JobFinishedEvent(result));
		}
	}

	@Override
	public void onJobRunFailure(StepResult result) {
		this.publisher.publishEvent(new JobFailedEvent(result));
	}

}
