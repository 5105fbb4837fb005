package io.ergate.sample;

import io.ergate.ErgateWorkflow;
import io.ergate.Input;
import io.ergate.Step;
import io.ergate.StepContext;
import org.springframework.stereotype.Component;

/**
 * A workflow with a long step to cancel: {@code work} runs for the given number of seconds (default
 * 30), checking {@link StepContext#cancelRequested()} every 100 ms and stopping early once a cancel was
 * requested ({@code POST /jobs/{id}/cancel}); the job is then {@code CANCELLED} and {@code report} does
 * not run. With {@code ergate.worker.interrupt-on-cancel=true} its sleep is interrupted as well, which
 * it takes as the same signal.
 */
@Component
@ErgateWorkflow("slow_workflow")
class SlowWorkflow {

	@Step(order = 1, name = "work")
	int work(@Input Integer seconds, StepContext step) {
		int tenths = 10 * ((seconds != null) ? seconds : 30);
		int done = 0;
		while (done < tenths && !step.cancelRequested()) {
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				break; // interrupted by the cancel (interrupt-on-cancel): stop as for cancelRequested()
			}
			done++;
		}
		return done / 10;
	}

	@Step(order = 2, name = "report")
	String report(@Input int seconds) {
		return "worked " + seconds + " s";
	}

}
