package io.ergate.sample;

import io.ergate.ErgateWorkflow;
import io.ergate.Input;
import io.ergate.Job;
import io.ergate.Retry;
import io.ergate.Step;
import org.springframework.stereotype.Component;

/**
 * A workflow whose service call fails twice and succeeds on its third attempt, retried by its
 * {@link Retry} policy: between attempts the job waits {@code SCHEDULED}, with its
 * {@code requested_start_time} and the metadata {@code attempt}, {@code max_attempts} and
 * {@code last_error}; the whole job completes in about 0.6 s. An input of {@code "fail"} fails every
 * attempt, so the job ends {@code FAILED} after three, and can be run again with
 * {@code POST /jobs/{id}/retry}.
 */
@Component
@ErgateWorkflow("flaky_workflow")
class FlakyWorkflow {

	@Step(order = 1, name = "call_service")
	@Retry(maxAttempts = 3, delay = "200ms", multiplier = 2, maxDelay = "1s", jitter = 0)
	String callService(@Input String request, Job job) {
		if ("fail".equals(request) || job.attempt() < 3) {
			throw new IllegalStateException("the service is unavailable (attempt " + job.attempt() + ")");
		}
		return "answer to " + request + " on attempt " + job.attempt();
	}

	@Step(order = 2, name = "store_answer")
	String storeAnswer(@Input String answer) {
		return "stored: " + answer;
	}

}
