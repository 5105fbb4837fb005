package io.ergate.sample;

import io.ergate.Job;
import io.ergate.spring.ErgateJobEvent;
import io.ergate.spring.JobFailedEvent;
import io.ergate.spring.JobFinishedEvent;
import io.ergate.spring.JobStartedEvent;
import io.ergate.spring.JobStepCompletedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Logs every state transition of every job, with its progress, from the starter's application
 * events.
 */
@Component
class JobTransitionLogger {

	private static final Logger logger = LoggerFactory.getLogger(JobTransitionLogger.class);

	@EventListener
	void onJobEvent(ErgateJobEvent event) {
		Job job = event.getJob();
		String prefix = "Job " + job.id() + " [" + job.workflowName() + "] ";
		if (event instanceof JobStartedEvent) {
			logger.info("{}started: {} at step {}, percent_completed={}", prefix, job.status(), job.stepName(),
					job.percentCompleted());
		}
		else if (event instanceof JobStepCompletedEvent completed) {
			if (!job.status().isFinal()) {
				logger.info("{}step {} done ({}): {}, next step {}, percent_completed={}", prefix,
						completed.getResult().stepName(), completed.getResult().outcome(), job.status(),
						job.stepName(), job.percentCompleted());
			}
		}
		else if (event instanceof JobFinishedEvent) {
			logger.info("{}finished: {} after step {}, percent_completed={}, last_return_value={}{}", prefix,
					job.status(), job.stepName(), job.percentCompleted(), job.lastReturnValue(),
					(job.exceptionTraceback() != null) ? ", reason: " + job.exceptionTraceback() : "");
		}
		else if (event instanceof JobFailedEvent failed) {
			logger.warn("{}failed: {} at step {}, percent_completed={}, error: {}", prefix, job.status(),
					failed.getResult().stepName(), job.percentCompleted(), String.valueOf(failed.getError()));
		}
	}

}
