package io.ergate.sample;

import io.ergate.AbortJob;
import io.ergate.ErgateWorkflow;
import io.ergate.GoToEnd;
import io.ergate.GoToStep;
import io.ergate.Input;
import io.ergate.Step;
import org.springframework.stereotype.Component;

/**
 * A workflow whose path depends on its input, with the three flow controls: a negative number
 * aborts the job ({@link AbortJob}), zero ends it at once ({@link GoToEnd}), a number of 100 or
 * more jumps to {@code handle_large} ({@link GoToStep}) and a smaller one goes through
 * {@code handle_small}, which jumps over {@code handle_large} to {@code report}.
 * <p>
 * The path hints on each {@link Step} list its possible exits, so that {@code percent_completed}
 * is exact.
 */
@Component
@ErgateWorkflow("branching_workflow")
class BranchingWorkflow {

	@Step(order = 1, name = "classify", next = true, goTo = "handle_large", end = true)
	int classify(@Input int value) {
		if (value < 0) {
			throw new AbortJob("negative input " + value + ": nothing to do with it");
		}
		if (value == 0) {
			throw new GoToEnd("zero: done at once");
		}
		if (value >= 100) {
			throw new GoToStep("handle_large", value);
		}
		return value;
	}

	// void: it never returns normally, so its only exit is the jump (a step that returns a value and
	// has hints may also go on to the next step)
	@Step(order = 2, name = "handle_small", goTo = "report")
	void handleSmall(@Input int value) {
		throw new GoToStep("report", value * 2);
	}

	@Step(order = 3, name = "handle_large")
	int handleLarge(@Input int value) {
		return value / 2;
	}

	@Step(order = 4, name = "report")
	String report(@Input int value) {
		return "result: " + value;
	}

}
